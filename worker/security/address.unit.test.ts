import { describe, expect, it } from 'vitest';
import { refusedHost } from './address.ts';

/** The hostname exactly as fetch would see it: the WHATWG URL parser normalises IP literals first. */
const hostOf = (url: string) => new URL(url).hostname;

describe('refusedHost', () => {
  it.each([
    ['http://127.0.0.1/', /loopback/],
    ['http://127.255.1.2:8080/', /loopback/],
    ['http://2130706433/', /loopback/],
    ['http://0x7f000001/', /loopback/],
    ['http://0x7f.1/', /loopback/],
    ['http://017700000001/', /loopback/],
    ['http://127.1/', /loopback/],
    ['http://0.0.0.0/', /this network/],
    ['http://10.1.2.3/', /private/],
    ['http://172.16.0.1/', /private/],
    ['http://172.31.255.255/', /private/],
    ['http://192.168.1.1/', /private/],
    ['http://100.64.0.1/', /carrier-grade/],
    ['http://100.127.255.254/', /carrier-grade/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://224.0.0.1/', /multicast/],
    ['http://255.255.255.255/', /reserved/],
    ['http://[::1]/', /loopback/],
    ['http://[0:0:0:0:0:0:0:1]/', /loopback/],
    ['http://[::]/', /unspecified/],
    ['http://[::ffff:127.0.0.1]/', /loopback/],
    ['http://[::ffff:7f00:1]/', /loopback/],
    ['http://[::ffff:169.254.169.254]/', /link-local/],
    ['http://[::ffff:10.0.0.1]/', /private/],
    ['http://[64:ff9b::10.0.0.1]/', /private/],
    ['http://[2002:7f00:1::]/', /loopback/],
    ['http://[fc00::1]/', /unique-local/],
    ['http://[fd12:3456::1]/', /unique-local/],
    ['http://[fe80::1]/', /link-local/],
    ['http://[ff02::1]/', /multicast/],
    ['http://[2001:db8::1]/', /documentation/],
    ['http://localhost/', /internal host name|single-label/],
    ['http://LOCALHOST./', /internal host name|single-label/],
    ['http://api.localhost/', /internal host name/],
    ['http://printer.local/', /internal host name/],
    ['http://metadata.google.internal/', /internal host name/],
    ['http://router.home.arpa/', /internal host name/],
    ['http://intranet/', /single-label/],
    ['http://metadata.goog/', /metadata/],
  ])('refuses %s', (url, why) => {
    expect(refusedHost(hostOf(url))).toMatch(why);
  });

  it.each([
    'https://api.example.com/v1',
    'http://8.8.8.8/',
    'http://172.32.0.1/',
    'http://100.128.0.1/',
    'http://[2606:4700:4700::1111]/',
    'http://[::ffff:8.8.8.8]/',
    'https://localhost.example.com/',
    'https://internal.example.com/',
  ])('allows %s', (url) => {
    expect(refusedHost(hostOf(url))).toBeNull();
  });
});
