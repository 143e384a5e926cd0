/** The parts of a container its events describe. */
interface EventSubject {
  name: string;
  imageRef: string;
  config: { labels: Record<string, string> };
}

/**
 * The `Actor.Attributes` dockerd gives a container's events: its labels, then `image` (as the user
 * named it) and `name`, which win over labels of the same key; then the action's own attributes
 * (`exitCode` for die, `signal` for kill...).
 */
export function containerEventAttributes(
  c: EventSubject,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { ...c.config.labels, image: c.imageRef, name: c.name, ...extra };
}
