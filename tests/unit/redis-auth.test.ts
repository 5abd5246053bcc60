import { describe, expect, it } from 'vitest';
import { isRedisAuthError } from '../../main/shared/redis-auth';

describe('isRedisAuthError', () => {
  it("recognises Redis's refusals of a password, as errors or messages", () => {
    expect(isRedisAuthError(new Error('WRONGPASS invalid username-password pair'))).toBe(true);
    expect(isRedisAuthError(new Error('NOAUTH Authentication required.'))).toBe(true);
    expect(isRedisAuthError('ERR invalid password')).toBe(true);
  });

  it('is false for other failures', () => {
    expect(isRedisAuthError(new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toBe(false);
    expect(isRedisAuthError(undefined)).toBe(false);
    expect(isRedisAuthError(null)).toBe(false);
  });
});
