// Jest runs NestJS 12 through @swc/jest in ESM mode (node's
// --experimental-vm-modules): Nest 12 is ES modules only, which CommonJS jest
// cannot load. `npm test` builds first because the e2e suite spawns the
// compiled services as real processes.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
    },
    module: { type: 'es6' },
  },
];
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@tollgate/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^@tollgate/([a-z-]+)/([a-z-]+)$': '<rootDir>/libs/$1/src/$2.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/libs/.*/dist/'],
  setupFilesAfterEnv: ['<rootDir>/libs/testing/src/every-test-asserts.ts'],
};
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/{apps,libs,tools}/**/*.spec.ts',
        '<rootDir>/test/documentation.spec.ts',
        '<rootDir>/test/duration-settings.spec.ts',
        '<rootDir>/test/deploy/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      setupFilesAfterEnv: [...common.setupFilesAfterEnv, '<rootDir>/test/support/e2e-setup.ts'],
    },
  ],
};
