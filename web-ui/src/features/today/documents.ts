import { graphql } from '../../gql';

export const TodayQuery = graphql(`
  query Today($me: ID!, $dueBefore: DateTime!) {
    due: deals(filter: { open: true, ownerId: $me, followUpDueBefore: $dueBefore }, first: 50) {
      totalCount
      nodes { ...DealCard }
    }
    stuck: deals(filter: { open: true, ownerId: $me, stuck: true }, first: 20) {
      totalCount
      nodes { ...DealCard }
    }
    open: deals(filter: { open: true, ownerId: $me }, first: 20, orderBy: { field: UPDATED_AT, direction: DESC }) {
      totalCount
      nodes { ...DealCard }
    }
  }
`);
