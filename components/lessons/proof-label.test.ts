import { describe, expect, it } from 'vitest';
import { proofLabel } from './proof-label';

describe('proofLabel', () => {
  it('names the message by its number on one connection, and by number and connection where the proof spans several', () => {
    expect(proofLabel(['smtp-a:3', 'smtp-a:5'], 'smtp-a:5')).toBe('message 5');
    const proof = ['gateway-a:19', 'gateway-b:46', 'gateway-c:1', 'gateway-b:42'];
    expect(['gateway-a:19', 'gateway-b:46', 'gateway-c:1', 'gateway-b:42'].map((id) => proofLabel(proof, id))).toEqual([
      'message 19 of connection 1',
      'message 46 of connection 2',
      'message 1 of connection 3',
      'message 42 of connection 2',
    ]);
  });
});
