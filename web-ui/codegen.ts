import type { CodegenConfig } from '@graphql-codegen/cli';

// Types come from the committed contract, never from a running server.
// `npm run codegen` regenerates; `make web` runs `codegen:check`, which fails
// when a committed generated file is stale.
//
// Each feature keeps its operations and fragments in `documents.graphql`;
// codegen writes `documents.generated.ts` next to it with the result and
// variable types and the typed documents (fragments inlined). A screen
// imports its documents from its own feature's module, so the bundler ships
// them in that screen's lazy chunk: only Today's documents are in the first
// download. The enums and input types the documents use are shared, type-only,
// in src/gql/graphql.ts.
const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.graphql'],
  ignoreNoDocuments: false,
  config: {
    enumsAsTypes: true,
    useTypeImports: true,
    scalars: { DateTime: 'string', Date: 'string', JSON: 'unknown', Upload: 'File' },
  },
  generates: {
    './src/gql/graphql.ts': {
      plugins: ['typescript-operations'],
      config: { generateOperationTypes: false },
    },
    './src/': {
      preset: 'near-operation-file',
      presetConfig: { extension: '.generated.ts' },
      plugins: ['typescript-operations', 'typed-document-node'],
      config: { importSchemaTypesFrom: 'src/gql/graphql.ts' },
    },
  },
};

export default config;
