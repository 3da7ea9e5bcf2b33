import { describe, expect, it } from 'vitest';
import { annotate } from './annotate.ts';
import { ALL_FACTS } from './tables.ts';
import { TEXT_EN } from './text.en.ts';
import { SOAP_VERSIONS, faultClassOf, faultCodeName, mediaTypeParameter, versionOfMediaType, versionOfNamespace } from './versions.ts';

describe('SOAP tables', () => {
  it('has prose for every fact and a fact for every prose key', () => {
    const factKeys = [...ALL_FACTS.keys(), ...Object.values(SOAP_VERSIONS).map((v) => v.key)];
    for (const key of factKeys) expect(TEXT_EN[key], key).toBeDefined();
    for (const key of Object.keys(TEXT_EN)) expect(factKeys, key).toContain(key);
    for (const fact of ALL_FACTS.values()) expect(fact.ref, fact.key).toMatch(/\S/);
  });

  it.each([
    ['1.1', 'Client', 'Client'],
    ['1.2', 'Client', 'Sender'],
    ['1.2', 'Server', 'Receiver'],
    ['1.1', 'VersionMismatch', 'VersionMismatch'],
  ] as const)('names the %s %s fault %s', (version, cls, name) => {
    expect(faultCodeName(version, cls)).toBe(name);
    expect(faultClassOf(name)).toBe(cls);
  });

  it('tells the versions apart by namespace and media type', () => {
    expect(versionOfNamespace('http://schemas.xmlsoap.org/soap/envelope/')).toBe('1.1');
    expect(versionOfNamespace('http://www.w3.org/2003/05/soap-envelope')).toBe('1.2');
    expect(versionOfNamespace('http://www.w3.org/2003/05/soap-envelope/')).toBeNull();
    expect(versionOfMediaType('Text/XML; charset=utf-8')).toBe('1.1');
    expect(versionOfMediaType('application/soap+xml;action="urn:a"')).toBe('1.2');
    expect(versionOfMediaType('application/xml')).toBeNull();
    expect(mediaTypeParameter('application/soap+xml; charset=utf-8; action="urn:x;y"', 'action')).toBe('urn:x;y');
    expect(mediaTypeParameter('text/xml;charset=utf-8', 'charset')).toBe('utf-8');
    expect(mediaTypeParameter('text/xml', 'action')).toBeUndefined();
  });

  it('builds annotations with refs and falls back for unknown keys', () => {
    expect(annotate('soap.fault.Sender')).toMatchObject({ key: 'soap.fault.Sender', level: 'error', ref: expect.stringContaining('SOAP 1.2') });
    expect(annotate('nope.nothing')).toMatchObject({ key: 'nope.nothing', title: 'nope.nothing' });
  });
});
