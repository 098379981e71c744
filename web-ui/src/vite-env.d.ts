/// <reference types="vite/client" />

/** The app's version from package.json, sent as `X-Client-Version`. */
declare const __APP_VERSION__: string;
