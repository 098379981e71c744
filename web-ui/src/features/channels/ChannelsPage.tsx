import { Button, Card, Dialog, ErrorBlock, Form, NoticeBar, SpinLoading, Tag, Toast } from 'antd-mobile';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Page, Section } from '../../components/Page';
import type { ChannelItemFragment } from './documents.generated';
import type { ChannelKindValue } from '../../gql/graphql';
import { submitMutation, useOnSynced } from '../../lib/deviceOutbox';
import { formatDateTime } from '../../lib/format';
import { errorText } from '../../lib/formErrors';
import { useSession } from '../../lib/hooks';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { useOutboxForm } from '../../lib/useOutboxForm';
import { CHANNEL_FIELDS, channelFieldReason, ChannelFormFields, channelValuesToInput, eventLabel } from './channelForm';
import { AddChannelDocument, ChannelsDocument, RemoveChannelDocument, TestChannelDocument } from './documents.generated';

/** Admin: the org's notification channels (DingTalk/WeCom robots, email, webhooks), a test message, removal, and a new one. */
export default function ChannelsPage() {
  const { t } = useTranslation();
  const [result, reexecute] = useKeptQuery({ query: ChannelsDocument });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useOnSynced(refresh);
  const channels = result.data?.channels;
  return (
    <Page
      title={t('channels.title')}
      right={
        <Link to="/settings/deliveries" className="link nav-right-link" data-testid="channels-deliveries">
          {t('deliveries.title')}
        </Link>
      }
    >
      <Section title={t('channels.list', { count: channels?.length ?? 0 })} testId="channels-list">
        {!channels && result.fetching && <SpinLoading className="center" />}
        {!channels && result.error && <ErrorBlock status="disconnected" title={t('errors.loadFailed')} description={result.error.message} />}
        {channels && channels.length === 0 && <div className="muted padded">{t('channels.none')}</div>}
        <div className="card-list">
          {channels?.map((channel) => (
            <ChannelCard key={channel.id} channel={channel} onRemoved={refresh} />
          ))}
        </div>
      </Section>
      <AddChannelCard onAdded={refresh} />
    </Page>
  );
}

function ChannelCard({ channel, onRemoved }: { channel: ChannelItemFragment; onRemoved: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const [busy, setBusy] = useState<'test' | 'remove' | null>(null);

  async function sendTest() {
    if (!session) return;
    setBusy('test');
    const result = await submitMutation(TestChannelDocument, {
      variables: { id: channel.id },
      draft: { id: channel.id },
      draftKey: `channel-test:${channel.id}:${Date.now()}`,
      route: '/settings/channels',
      label: t('channels.testLabel', { name: channel.name }),
      userId: session.user.id,
    });
    setBusy(null);
    if (result.status === 'done') Toast.show({ icon: 'success', content: t('channels.testQueued') });
    else if (result.status === 'queued') Toast.show({ content: t('outbox.queuedToast') });
    else Toast.show({ icon: 'fail', content: errorText(result.error) });
  }

  async function remove() {
    if (!session) return;
    const confirmed = await Dialog.confirm({
      content: t('channels.removeConfirm', { name: channel.name }),
      confirmText: t('channels.remove'),
      cancelText: t('common.cancel'),
    });
    if (!confirmed) return;
    setBusy('remove');
    const result = await submitMutation(RemoveChannelDocument, {
      variables: { id: channel.id },
      draft: { id: channel.id },
      draftKey: `channel-remove:${channel.id}`,
      route: '/settings/channels',
      label: t('channels.removeLabel', { name: channel.name }),
      userId: session.user.id,
    });
    setBusy(null);
    if (result.status === 'done') {
      Toast.show({ icon: 'success', content: t('channels.removed') });
      onRemoved();
    } else if (result.status === 'queued') Toast.show({ content: t('outbox.queuedToast') });
    else Toast.show({ icon: 'fail', content: errorText(result.error) });
  }

  return (
    <div className="channel-card" data-testid="channel-card" data-channel-id={channel.id}>
      <div className="channel-card-head">
        <Tag color="primary" fill="outline">
          {t(`channelKind.${channel.kind}`)}
        </Tag>
        <span className="channel-card-name">{channel.name}</span>
        {channel.hasSecret && <Tag color="success" fill="outline">{t('channels.signed')}</Tag>}
      </div>
      <div className="channel-card-target" data-testid="channel-target-shown">{channel.target}</div>
      <div className="channel-card-events">
        {channel.events && channel.events.length > 0 ? channel.events.map((event) => eventLabel(event)).join(t('alerts.listSeparator')) : t('channels.allEvents')}
      </div>
      <div className="muted">{t('channels.created', { time: formatDateTime(channel.createdAt) })}</div>
      <div className="channel-card-actions">
        <Button size="small" color="primary" fill="outline" loading={busy === 'test'} onClick={() => void sendTest()} data-testid="channel-test">
          {t('channels.test')}
        </Button>
        <Link to={`/settings/deliveries?channel=${channel.id}`} data-testid="channel-log">
          <Button size="small" fill="outline">
            {t('channels.log')}
          </Button>
        </Link>
        <Button size="small" color="danger" fill="none" loading={busy === 'remove'} onClick={() => void remove()} data-testid="channel-remove">
          {t('channels.remove')}
        </Button>
      </div>
    </div>
  );
}

function AddChannelCard({ onAdded }: { onAdded: () => void }) {
  const { t } = useTranslation();
  const { form, error, submitting, submit } = useOutboxForm('channel-add', CHANNEL_FIELDS, channelFieldReason);
  const kindValue = Form.useWatch('kind', form) as ChannelKindValue[] | undefined;
  const kind = kindValue?.[0];
  return (
    <Card title={t('channels.add')} className="stage-card" data-testid="channel-add">
      {error && <NoticeBar color="error" content={errorText(error)} wrap data-testid="form-error" />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: ['DINGTALK'], events: [] }}
        onFinish={(values: Record<string, unknown>) => {
          const input = channelValuesToInput(values);
          return submit(AddChannelDocument, { input }, {
            label: t('channels.addLabel', { name: input.name ?? t(`channelKind.${input.kind}`) }),
            route: '/settings/channels',
            onDone: () => {
              form.resetFields();
              onAdded();
            },
            onQueued: () => form.resetFields(),
          });
        }}
        footer={
          <Button block type="submit" color="primary" loading={submitting} data-testid="channel-submit">
            {t('channels.addSubmit')}
          </Button>
        }
      >
        <ChannelFormFields kind={kind} />
      </Form>
    </Card>
  );
}
