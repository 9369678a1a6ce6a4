/** Architecture rules: the extraction core is pure and the embedded database is its own component. */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'core/ turns bytes into a typed document; it knows nothing of queues, databases or adapters.',
      severity: 'error',
      from: { path: '^core/' },
      to: {
        path: [
          '^(workers|producers|models|queue|cli|api|web|bench|embedded-mongo)/',
          'node_modules/(bullmq|ioredis|mongoose|mongodb|fastify|commander|cli-progress|better-sqlite3)/',
        ],
      },
    },
    {
      name: 'embedded-mongo-is-standalone',
      comment: 'embedded-mongo/ is a MongoDB-compatible server; it must not depend on the rest of docq.',
      severity: 'error',
      from: { path: '^embedded-mongo/' },
      to: { path: '^(core|workers|producers|models|queue|cli|api|web|bench)/' },
    },
    {
      name: 'no-circular-core',
      severity: 'error',
      from: { path: '^core/' },
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
