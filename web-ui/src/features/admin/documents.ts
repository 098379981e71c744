import { graphql } from '../../gql';

export const UpdateStageMutation = graphql(`
  mutation UpdateStage($input: UpdateStageInput!) {
    updateStage(input: $input) { key name gateFields stuckAfterHours probability }
  }
`);
