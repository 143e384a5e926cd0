// The layering of ARCHITECTURE.md, enforced: dependencies point one way, nothing imports upward,
// and there are no import cycles.
/** forbidden(from, to): modules under `from` may not import modules under `to`. */
const forbidden = (name, from, to, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: to },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    forbidden('lib-is-a-leaf', '^src/lib/', '^src/(?!lib/)', 'src/lib has no domain knowledge'),
    forbidden(
      'errors-is-a-leaf',
      '^src/errors/',
      '^src/(?!errors/)',
      'error kinds depend on nothing',
    ),
    forbidden('api-is-generated', '^src/api/', '^src/(?!api/)', 'wire types stand alone'),
    forbidden('pure-oci', '^src/oci/', '^src/(?!oci/|lib/|errors/)', 'the spec builder is pure'),
    forbidden(
      'pure-dockerfile',
      '^src/dockerfile/',
      '^src/(?!dockerfile/|lib/|errors/)',
      'the parser is pure',
    ),
    forbidden(
      'archive-low',
      '^src/archive/',
      '^src/(?!archive/|lib/|errors/)',
      'safe tar is low-level',
    ),
    forbidden(
      'store-below-services',
      '^src/store/',
      '^src/(services|server|cli|client|daemon|monitor|distribution)/',
      'stores never call up',
    ),
    forbidden(
      'drivers-below-services',
      '^src/drivers/',
      '^src/(services|server|cli|client|daemon|monitor|store/metadata)/',
      'drivers decide nothing about lifecycle',
    ),
    forbidden(
      'services-not-edge',
      '^src/services/',
      '^src/(server|cli|client|daemon|api)/',
      'services never import server/cli/api',
    ),
    forbidden(
      'server-not-cli',
      '^src/server/',
      '^src/(cli|client|daemon)/',
      'the HTTP edge serves services',
    ),
    forbidden(
      'client-is-standalone',
      '^src/client/',
      '^src/(?!client/|api/|lib/)',
      'the client is importable alone',
    ),
    forbidden(
      'cli-over-client',
      '^src/cli/',
      '^src/(?!cli/|client/|api/|lib/|dockerfile/dockerignore)',
      'the CLI only talks to the API (and reads .dockerignore as the daemon does)',
    ),
    forbidden(
      'daemon-only-from-bin',
      '^src/(?!daemon/)',
      '^src/daemon/',
      'the composition root is imported only by bin/',
    ),
    forbidden('nothing-imports-bin', '^src/', '^bin/', 'entry points are leaves'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
