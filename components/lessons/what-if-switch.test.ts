import { describe, expect, it } from 'vitest';
import { FAULT_RULES } from '@/lib/faults/catalogue.ts';
import { whatIfSwitch } from './what-if-switch';

describe("whose switch a lesson's what-if is", () => {
  it("is the teacher's for a student when the rule changes the server every sandbox shares (ssh.hostkey-change)", () => {
    expect(whatIfSwitch('ssh.hostkey-change', { rules: FAULT_RULES, owner: false })).toBe('owners');
  });

  it("is the machine owner's own button for ssh.hostkey-change", () => {
    expect(whatIfSwitch('ssh.hostkey-change', { rules: FAULT_RULES, owner: true })).toBe('arm');
  });

  it("is every student's own for a rule that acts in the student's sandbox only", () => {
    expect(whatIfSwitch('smtp.rcpt-451-second', { rules: FAULT_RULES, owner: false })).toBe('arm');
  });

  it('is not decided before the catalogue is read', () => {
    expect(whatIfSwitch('ssh.hostkey-change', null)).toBe('unknown');
  });
});
