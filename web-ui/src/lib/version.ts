/** The app's version, sent with every request as `X-Client-Version` (S5). */
export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0';
