import { describe, expect, it } from 'vitest';
import { callIdOfPath, isCallPath, isParticipantsPath, operationIdOfPath } from './resourcePath';

describe('resource paths', () => {
  it('tell the call itself from what is inside it', () => {
    expect(isCallPath('/communications/calls/a')).toBe(true);
    expect(isCallPath('/app/calls/a/')).toBe(true);
    expect(isCallPath('communications/calls/a?x')).toBe(true);
    expect(isCallPath('/communications/calls/a/participants')).toBe(false);
    expect(isCallPath('/communications/calls/')).toBe(false);
    expect(isCallPath('/communications/callsx/a')).toBe(false);
  });

  it('recognise the participants collection and one participant', () => {
    expect(isParticipantsPath('/communications/calls/a/participants')).toBe(true);
    expect(isParticipantsPath('/app/calls/a/Participants/p1')).toBe(true);
    expect(isParticipantsPath('/communications/calls/a/participants/p1/operations/o')).toBe(false);
    expect(isParticipantsPath('/participants')).toBe(false);
  });

  it('read ids as given, whatever the prefix casing', () => {
    expect(callIdOfPath('/COMMUNICATIONS/CALLS/MiXeD')).toBe('MiXeD');
    expect(callIdOfPath('/communications/calls/a\nb/c')).toBe('a\nb');
    expect(callIdOfPath(undefined)).toBeUndefined();
    expect(operationIdOfPath('/communications/calls/a/operations/o1/')).toBe('o1');
    expect(operationIdOfPath('/communications/calls/a')).toBeUndefined();
  });
});
