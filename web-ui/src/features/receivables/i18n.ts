/**
 * The receivables and credit-risk strings, kept out of the first screen's
 * bundle: every screen of this feature imports this module, which adds them to
 * the `translation` namespace before it renders.
 */
import i18n from '../../i18n';
import en from '../../i18n/lazy/receivables.en.json';
import zhCN from '../../i18n/lazy/receivables.zh-CN.json';

i18n.addResourceBundle('zh-CN', 'translation', zhCN, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);

export default i18n;
