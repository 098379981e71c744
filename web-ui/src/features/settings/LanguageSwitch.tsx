import { Segmented } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../../i18n';

export function LanguageSwitch() {
  const { i18n } = useTranslation();
  return (
    <Segmented
      data-testid="language-switch"
      value={i18n.language}
      onChange={(value) => setLanguage(value as Language)}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'English', value: 'en' },
      ]}
    />
  );
}
