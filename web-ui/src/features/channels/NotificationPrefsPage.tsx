import { Button, Card, Checkbox, ErrorBlock, Form, NoticeBar, SpinLoading, Tag } from 'antd-mobile';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page';
import type { AlertKindValue } from '../../gql/graphql';
import { useOnSynced } from '../../lib/deviceOutbox';
import { errorText } from '../../lib/formErrors';
import { useSession } from '../../lib/hooks';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { useOutboxForm } from '../../lib/useOutboxForm';
import { ALERT_KINDS } from './channelForm';
import { ChannelsDocument, NotificationPreferencesDocument, SetNotificationPreferenceDocument } from './documents.generated';

interface ChannelChoice {
  id: string;
  name: string;
  kind: string | null;
}

/**
 * Every user: which alert kinds reach them through which channel. Admins
 * pick from all the org's channels; the API lists channels to admins only,
 * so other people see the channels they already chose.
 */
export default function NotificationPrefsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const isAdmin = session?.user.role === 'ADMIN';
  const [prefsResult, reexecutePrefs] = useKeptQuery({ query: NotificationPreferencesDocument });
  const [channelsResult, reexecuteChannels] = useKeptQuery({ query: ChannelsDocument, pause: !isAdmin });
  const refresh = useCallback(() => {
    reexecutePrefs({ requestPolicy: 'network-only' });
    if (isAdmin) reexecuteChannels({ requestPolicy: 'network-only' });
  }, [isAdmin, reexecutePrefs, reexecuteChannels]);
  useOnSynced(refresh);
  const prefs = prefsResult.data?.notificationPreferences;
  const choices: ChannelChoice[] = isAdmin
    ? (channelsResult.data?.channels ?? []).map((channel) => ({ id: channel.id, name: channel.name, kind: channel.kind }))
    : (prefs ?? []).map((pref) => ({ id: pref.channelId, name: t('prefs.channelId', { id: pref.channelId.slice(-6) }), kind: null }));
  const loading = !prefs || (isAdmin && !channelsResult.data);
  const failed = prefsResult.error ?? (isAdmin ? channelsResult.error : undefined);
  return (
    <Page title={t('prefs.title')}>
      <div className="muted padded">{t('prefs.intro')}</div>
      {loading && !failed && <SpinLoading className="center" />}
      {loading && failed && <ErrorBlock status="disconnected" title={t('errors.loadFailed')} description={failed.message} />}
      {!loading && !isAdmin && <NoticeBar color="info" content={t('prefs.adminOnly')} wrap />}
      {!loading && choices.length === 0 && <ErrorBlock status="empty" title={t('prefs.noChannels')} description="" />}
      {!loading &&
        choices.map((channel) => (
          <PreferenceCard key={channel.id} channel={channel} kinds={prefs?.find((pref) => pref.channelId === channel.id)?.kinds ?? []} />
        ))}
    </Page>
  );
}

function PreferenceCard({ channel, kinds }: { channel: ChannelChoice; kinds: AlertKindValue[] }) {
  const { t } = useTranslation();
  const { form, error, submitting, submit } = useOutboxForm(`notify-pref:${channel.id}`, ['channelId', 'kinds']);
  return (
    <Card
      className="stage-card"
      data-testid="pref-card"
      data-channel-id={channel.id}
      title={
        <span className="title-with-badge">
          {channel.kind && (
            <Tag color="primary" fill="outline">
              {t(`channelKind.${channel.kind}`)}
            </Tag>
          )}
          {channel.name}
        </span>
      }
    >
      {error && <NoticeBar color="error" content={errorText(error)} wrap data-testid="form-error" />}
      <Form
        form={form}
        initialValues={{ kinds }}
        onFinish={(values: { kinds?: AlertKindValue[] }) =>
          submit(
            SetNotificationPreferenceDocument,
            { input: { channelId: channel.id, kinds: ALERT_KINDS.filter((kind) => values.kinds?.includes(kind)) } },
            { label: t('prefs.label', { name: channel.name }), route: '/settings/notifications', onDone: () => undefined, onQueued: () => undefined },
          )
        }
        footer={
          <Button size="small" type="submit" color="primary" loading={submitting} data-testid="pref-save">
            {t('common.save')}
          </Button>
        }
      >
        <Form.Item name="kinds" label={t('prefs.kinds')} help={t('prefs.kindsHelp')}>
          <Checkbox.Group>
            <div className="checkbox-grid">
              {ALERT_KINDS.map((kind) => (
                <Checkbox key={kind} value={kind}>
                  {t(`alertKind.${kind}`)}
                </Checkbox>
              ))}
            </div>
          </Checkbox.Group>
        </Form.Item>
      </Form>
    </Card>
  );
}
