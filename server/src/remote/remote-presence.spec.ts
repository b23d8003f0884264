/**
 * Presence of a remote participant's pages: lost only when the last one went and none came back
 * within the grace period; once; never after the server began to close.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { RemotePresence } from './remote-presence.ts';

describe('remote presence', () => {
  let lost: string[];
  let presence: RemotePresence;

  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
    lost = [];
    presence = new RemotePresence({ graceMs: 20_000, lost: (h, p) => lost.push(`${h}/${p}`) });
  });
  afterEach(() => {
    presence.close();
    mock.timers.reset();
  });

  test('the last page gone and none back within the grace period: lost, once', () => {
    presence.opened('h1', 'p1');
    presence.opened('h1', 'p1');
    presence.closed('h1', 'p1');
    mock.timers.tick(30_000);
    assert.deepEqual(lost, [], 'another page of the participant is still connected');
    presence.closed('h1', 'p1');
    mock.timers.tick(19_999);
    assert.deepEqual(lost, []);
    mock.timers.tick(1);
    assert.deepEqual(lost, ['h1/p1']);
    mock.timers.tick(60_000);
    assert.deepEqual(lost, ['h1/p1']);
  });

  test('a reconnection within the grace period keeps them; each hearing and participant on its own', () => {
    presence.opened('h1', 'p1');
    presence.opened('h2', 'p1');
    presence.closed('h1', 'p1');
    mock.timers.tick(10_000);
    presence.opened('h1', 'p1');
    presence.closed('h2', 'p1');
    mock.timers.tick(20_000);
    assert.deepEqual(lost, ['h2/p1']);
    assert.equal(presence.connections('h1', 'p1'), 1);
  });

  test('closing the server stops the timers: the next start records whoever was connected', () => {
    presence.opened('h1', 'p1');
    presence.closed('h1', 'p1');
    presence.close();
    presence.opened('h1', 'p2');
    presence.closed('h1', 'p2');
    mock.timers.tick(60_000);
    assert.deepEqual(lost, []);
  });
});
