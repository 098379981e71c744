import ReceivablesPage from './ReceivablesPage';

/** The collection forecast list, with "likely late" marks. */
export default function ForecastPage() {
  return <ReceivablesPage forecast />;
}
