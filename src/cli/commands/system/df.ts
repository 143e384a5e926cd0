import type {
  ContainerSummary,
  ImageSummary,
  SystemDataUsageResponse,
  Volume,
} from '../../../api/index.js';
import type { CliContext } from '../../context.js';
import { humanDuration, humanSize } from '../../format/human.js';
import { repoTagPairs } from '../../format/images.js';
import { formatTable } from '../../format/table.js';
import { ellipsis, quote, shortId } from '../../format/text.js';

interface Usage {
  ActiveCount?: number;
  TotalCount?: number;
  Reclaimable?: number;
  TotalSize?: number;
}

const reclaimable = (u: Usage): string => {
  const r = u.Reclaimable ?? 0;
  const size = u.TotalSize ?? 0;
  return size > 0 ? `${humanSize(r)} (${Math.round((r * 100) / size)}%)` : humanSize(r);
};

/** `berth system df [-v]`: the daemon's disk usage per type, as docker prints it. */
export async function dfCommand(ctx: CliContext, opts: { verbose?: boolean }): Promise<number> {
  const verbose = opts.verbose === true;
  const du = (await ctx.client().systemDf({ verbose })) as SystemDataUsageResponse;
  const rows: [string, Usage | undefined][] = [
    ['Images', du.ImageUsage],
    ['Containers', du.ContainerUsage],
    ['Local Volumes', du.VolumeUsage],
    ['Build Cache', du.BuildCacheUsage],
  ];
  if (!verbose) {
    const table = rows.map(([type, u = {}]) => [
      type,
      String(u.TotalCount ?? 0),
      String(u.ActiveCount ?? 0),
      humanSize(u.TotalSize ?? 0),
      reclaimable(u),
    ]);
    ctx.io.stdout.write(
      formatTable([['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'], ...table]),
    );
    return 0;
  }
  const now = ctx.io.now();
  const ago = (secs: number | undefined): string =>
    secs === undefined ? '' : `${humanDuration(now - secs * 1000)} ago`;
  const images = (du.ImageUsage?.Items ?? []) as ImageSummary[];
  const imageRows = images.flatMap((i) =>
    repoTagPairs(i).map(([repo, tag]) => [
      repo,
      tag,
      shortId(i.Id),
      ago(i.Created),
      humanSize(i.Size),
      humanSize(Math.max(0, i.SharedSize)),
      humanSize(i.Size - Math.max(0, i.SharedSize)),
      String(i.Containers),
    ]),
  );
  const containers = (du.ContainerUsage?.Items ?? []) as ContainerSummary[];
  const containerRows = containers.map((c) => [
    shortId(c.Id ?? ''),
    c.Image ?? '',
    quote(ellipsis(c.Command ?? '', 20)),
    String((c.Mounts ?? []).filter((m) => m.Type === 'volume').length),
    humanSize(c.SizeRw ?? 0),
    ago(c.Created),
    c.Status ?? '',
    (c.Names ?? []).map((n) => n.replace(/^\//, '')).join(','),
  ]);
  const volumes = (du.VolumeUsage?.Items ?? []) as Volume[];
  const volumeRows = volumes.map((v) => [
    v.Name,
    String(v.UsageData?.RefCount ?? 0),
    humanSize(Math.max(0, v.UsageData?.Size ?? 0)),
  ]);
  const out = [
    'Images space usage:\n',
    formatTable([
      [
        'REPOSITORY',
        'TAG',
        'IMAGE ID',
        'CREATED',
        'SIZE',
        'SHARED SIZE',
        'UNIQUE SIZE',
        'CONTAINERS',
      ],
      ...imageRows,
    ]),
    '\nContainers space usage:\n',
    formatTable([
      ['CONTAINER ID', 'IMAGE', 'COMMAND', 'LOCAL VOLUMES', 'SIZE', 'CREATED', 'STATUS', 'NAMES'],
      ...containerRows,
    ]),
    '\nLocal Volumes space usage:\n',
    formatTable([['VOLUME NAME', 'LINKS', 'SIZE'], ...volumeRows]),
    '\nBuild cache usage: 0B\n',
  ];
  ctx.io.stdout.write(`${out.join('\n')}`);
  return 0;
}
