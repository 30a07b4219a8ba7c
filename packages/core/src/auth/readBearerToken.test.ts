import { describe, expect, it } from 'vitest';
import { AuthError } from './AuthError';
import { readBearerToken } from './readBearerToken';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
  throw new Error('expected an AuthError');
}

describe('readBearerToken with a cache that vouches for known tokens', () => {
  it('returns a known token after any casing of "Bearer "', () => {
    const known = (token: string) => token === TOKEN;
    expect(readBearerToken({ authorization: `Bearer ${TOKEN}` }, known)).toBe(TOKEN);
    expect(readBearerToken({ Authorization: `bEARER ${TOKEN}` }, known)).toBe(TOKEN);
  });

  it('never lets the cache vouch for another scheme of the same length', () => {
    const anything = () => true;
    expect(codeOf(() => readBearerToken({ authorization: `Digest ${TOKEN}` }, anything))).toBe(
      'bad_scheme',
    );
  });

  it('checks an unknown value in full', () => {
    const nothing = () => false;
    expect(codeOf(() => readBearerToken({ authorization: `Bearer a b` }, nothing))).toBe(
      'multiple_tokens',
    );
    expect(readBearerToken({ authorization: ` Bearer   ${TOKEN} ` }, nothing)).toBe(TOKEN);
  });

  it('checks the header count and size before asking the cache', () => {
    const anything = () => true;
    expect(
      codeOf(() =>
        readBearerToken({ authorization: [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`] }, anything),
      ),
    ).toBe('multiple_tokens');
    expect(
      codeOf(() => readBearerToken({ authorization: `Bearer ${'a'.repeat(9000)}` }, anything)),
    ).toBe('token_too_large');
  });
});
