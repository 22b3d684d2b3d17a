// The log line the reference server writes once it listens: parents that start it wait for it.
export const LISTENING_MESSAGE = 'listening';

/** Matches the `listening` log line; group 1 is the server's URL. */
export const SERVER_LISTENING = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"listening"/;
