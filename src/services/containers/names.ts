import { randomInt } from 'node:crypto';
import { invalidParameter } from '../../errors/index.js';

const validName = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/**
 * Checks a user-given container name and strips Docker's optional leading '/'. Docker's rule:
 * at least two characters from [a-zA-Z0-9_.-], the first alphanumeric.
 */
export function checkName(name: string): string {
  if (!validName.test(name)) {
    throw invalidParameter(
      `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
    );
  }
  return name.startsWith('/') ? name.slice(1) : name;
}

// Berth's own word lists: harbour things and the moods they come in.
const moods = [
  'anchored',
  'brave',
  'brisk',
  'calm',
  'clever',
  'eager',
  'gentle',
  'hardy',
  'jolly',
  'keen',
  'lucky',
  'merry',
  'nimble',
  'patient',
  'proud',
  'quiet',
  'salty',
  'serene',
  'steady',
  'sturdy',
  'sunny',
  'swift',
  'tidal',
  'trusty',
  'vivid',
  'wise',
  'windy',
  'zesty',
  'bold',
  'cosy',
];
const things = [
  'anchor',
  'barge',
  'beacon',
  'bollard',
  'buoy',
  'capstan',
  'cove',
  'crane',
  'dinghy',
  'dock',
  'ferry',
  'galley',
  'harbour',
  'hull',
  'jetty',
  'keel',
  'lighthouse',
  'lock',
  'mast',
  'mooring',
  'pier',
  'quay',
  'rudder',
  'schooner',
  'skiff',
  'slipway',
  'tugboat',
  'wharf',
  'yawl',
  'ketch',
];

/** A random `mood_thing` name; `attempt` > 0 appends a digit, as Docker does after a clash. */
export function generateName(attempt = 0): string {
  const base = `${moods[randomInt(moods.length)]}_${things[randomInt(things.length)]}`;
  return attempt > 0 ? `${base}${randomInt(10)}` : base;
}
