import { RecentCount } from '../../src/activities/recent-count.js';

describe('events counted over a sliding window', () => {
  test('counts the events inside the window and forgets the older ones', () => {
    let now = 1_000_000;
    const recent = new RecentCount(60_000, [], () => now);
    recent.add(2);
    now += 30_000;
    recent.add(1);
    expect(recent.count()).toBe(3);

    now += 40_000;
    expect(recent.count()).toBe(1);
  });

  test('carries its times over to a new counter, as a retried attempt gets them', () => {
    let now = 5_000_000;
    const first = new RecentCount(60_000, [], () => now);
    first.add(3);
    now += 1000;
    expect(new RecentCount(60_000, first.times(), () => now).count()).toBe(3);
  });
});
