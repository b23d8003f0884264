import assert from 'node:assert/strict';
import type os from 'node:os';
import { describe, test } from 'node:test';
import { planMediaAddresses } from './media-addresses.ts';

type Interfaces = ReturnType<typeof os.networkInterfaces>;

const entry = (address: string, family: 'IPv4' | 'IPv6', internal = false) =>
  ({ address, family, internal, netmask: '', mac: '00:00:00:00:00:00', cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) }) as NonNullable<Interfaces[string]>[number];

const COURT_SERVER: Interfaces = {
  lo: [entry('127.0.0.1', 'IPv4', true), entry('::1', 'IPv6', true)],
  eth0: [entry('10.20.0.15', 'IPv4'), entry('fe80::1', 'IPv6')],
  wlan0: [entry('192.168.5.7', 'IPv4')],
};
const DEFAULTS = { listenIp: '0.0.0.0', enableUdp: true, enableTcp: true, rtcMinPort: 40000, rtcMaxPort: 49999 };

describe('media addresses announced to browsers', () => {
  test('with nothing set: every interface of the machine, then loopback; never 0.0.0.0', () => {
    const plan = planMediaAddresses(DEFAULTS, COURT_SERVER);
    assert.deepEqual(
      plan.announced.map((a) => `${a.protocol} ${a.address} ${a.scope}`),
      ['udp 10.20.0.15 network', 'udp 192.168.5.7 network', 'udp 127.0.0.1 loopback', 'tcp 10.20.0.15 network', 'tcp 192.168.5.7 network', 'tcp 127.0.0.1 loopback'],
    );
    assert.ok(plan.listenInfos.every((info) => info.ip !== '0.0.0.0' && info.announcedAddress === undefined));
    assert.ok(plan.listenInfos.every((info) => info.portRange?.min === 40000 && info.portRange.max === 49999));
    assert.deepEqual(plan.warnings, []);
  });

  test('a machine with loopback only: loopback, and a warning that only this machine can connect', () => {
    const plan = planMediaAddresses({ ...DEFAULTS, enableTcp: false }, { lo: [entry('127.0.0.1', 'IPv4', true)] });
    assert.deepEqual(
      plan.announced.map((a) => a.address),
      ['127.0.0.1'],
    );
    assert.match(plan.warnings.join('\n'), /only a browser on this machine/);
  });

  test('MEDIA_ANNOUNCED_ADDRESS behind NAT: one listening address announced as the outside one', () => {
    const plan = planMediaAddresses({ ...DEFAULTS, announcedAddress: 'media.court.kz', enableTcp: false }, COURT_SERVER);
    assert.deepEqual(plan.listenInfos, [{ protocol: 'udp', ip: '0.0.0.0', announcedAddress: 'media.court.kz', portRange: { min: 40000, max: 49999 } }]);
    assert.deepEqual(plan.warnings, []);
  });

  test('what cannot work is a warning: an unspecified announced address, a listening address the machine does not have', () => {
    assert.match(planMediaAddresses({ ...DEFAULTS, announcedAddress: '0.0.0.0' }, COURT_SERVER).warnings.join('\n'), /not an address anyone can send to/);
    assert.match(planMediaAddresses({ ...DEFAULTS, listenIp: '10.99.0.1' }, COURT_SERVER).warnings.join('\n'), /not an address of this machine/);
    assert.match(planMediaAddresses({ ...DEFAULTS, listenIp: '127.0.0.1' }, COURT_SERVER).warnings.join('\n'), /loopback/);
  });
});
