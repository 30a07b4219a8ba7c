// Public surface of the notification model (owned by the notifications work).
export {};
