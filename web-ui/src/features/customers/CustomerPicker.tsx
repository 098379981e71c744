import { Button, List, Popup, SearchBar, Toast } from 'antd-mobile';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient, useQuery } from 'urql';
import { CustomerBriefDocument } from '../activities/documents.generated';
import { QrScanButton } from '../activities/QrScanButton';
import { CustomerSearchDocument } from './documents.generated';

export interface PickedCustomer {
  id: string;
  name: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Choose a customer by searching its name / credit code, or by scanning its QR code. */
export function CustomerPicker({ value, onChange }: { value: PickedCustomer | null; onChange: (customer: PickedCustomer) => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [result] = useQuery({ query: CustomerSearchDocument, variables: { search: search || null, first: 20 }, pause: !open });

  // A QR code holds a customer's id or its unified social credit code.
  const onCode = useCallback(
    async (code: string) => {
      if (UUID.test(code)) {
        const found = await client.query(CustomerBriefDocument, { id: code }).toPromise();
        if (found.data?.customer) {
          onChange(found.data.customer);
          return;
        }
      }
      const found = await client.query(CustomerSearchDocument, { search: code, first: 2 }).toPromise();
      const nodes = found.data?.customers.nodes ?? [];
      if (nodes.length === 1) onChange(nodes[0]);
      else Toast.show({ content: t('log.qrNotFound') });
    },
    [client, onChange, t],
  );

  return (
    <div className="customer-picker">
      <Button onClick={() => setOpen(true)} data-testid="pick-customer" className="customer-picker-button">
        {value ? value.name : t('log.chooseCustomer')}
      </Button>
      <QrScanButton onCode={(code) => void onCode(code)} />
      <Popup visible={open} onMaskClick={() => setOpen(false)} bodyStyle={{ height: '70vh', overflowY: 'auto' }}>
        <div className="padded">
          <SearchBar placeholder={t('customers.search')} onChange={setSearch} data-testid="customer-search" />
        </div>
        <List>
          {(result.data?.customers.nodes ?? []).map((customer) => (
            <List.Item
              key={customer.id}
              description={[customer.industry, customer.region].filter(Boolean).join(' · ')}
              onClick={() => {
                onChange(customer);
                setOpen(false);
              }}
            >
              {customer.name}
            </List.Item>
          ))}
        </List>
      </Popup>
    </div>
  );
}
