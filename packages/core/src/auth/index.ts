// Public surface of the token verifier (owned by the auth work).
export {};
