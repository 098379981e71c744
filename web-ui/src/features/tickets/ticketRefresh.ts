/** How often ticket countdowns are refreshed from the server. */
export const TICKET_REFRESH_MS = 30_000;
