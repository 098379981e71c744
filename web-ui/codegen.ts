import type { CodegenConfig } from '@graphql-codegen/cli';

// Types come from the committed contract, never from a running server.
// `npm run codegen` regenerates src/gql; `make web` runs `codegen:check`,
// which fails when the committed files are stale.
const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', Date: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
