import { graphql } from '../../gql';

export const FunnelFiguresFragment = graphql(`
  fragment FunnelFigures on FunnelHealth {
    userId
    from
    to
    asOf
    user { id name }
    team { id name }
    stageDwell { stage averageHours teamMedianHours exits }
    forwardSkips { value teamMedian }
    backwardMoves { value teamMedian }
    stuckDeals { value teamMedian }
    overdueFollowUps { value teamMedian }
    conversion { fromStage toStage entered advanced rate teamMedianRate }
  }
`);

export const FunnelHealthQuery = graphql(`
  query FunnelHealth($userId: ID!, $from: DateTime!, $to: DateTime!) {
    funnelHealth(userId: $userId, from: $from, to: $to) { ...FunnelFigures }
  }
`);

export const PeopleQuery = graphql(`
  query People {
    users { id name role active team { id } manager { id } }
    teams { id name manager { id } }
  }
`);

export const RepSummaryQuery = graphql(`
  query RepSummary($userId: ID!, $from: DateTime!, $to: DateTime!) {
    funnelHealth(userId: $userId, from: $from, to: $to) { ...FunnelFigures }
    stuck: deals(filter: { ownerId: $userId, stuck: true }, first: 10) {
      totalCount
      nodes { ...DealCard }
    }
  }
`);
