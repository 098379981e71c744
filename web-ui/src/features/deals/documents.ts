import { graphql } from '../../gql';

export const DealCardFragment = graphql(`
  fragment DealCard on Deal {
    id
    title
    stage
    stageDetails { key name kind }
    customer { id name }
    owner { id name }
    amount { amount currency }
    nextFollowUpAt
    dwellHours
    lastActivityAt
  }
`);

export const TimelineItemFragment = graphql(`
  fragment TimelineItem on TimelineEvent {
    __typename
    ... on Activity {
      id
      kind
      text
      occurredAt
      nextFollowUpAt
      dealId
      author { name }
      contact { name }
    }
    ... on StageTransition {
      id
      fromStage
      toStage
      at
      backward
      forwardSkips
      coreNeed
      decisionRole
      nextFollowUpAt
      lostReason
      by { name }
    }
    ... on DealReassignment {
      id
      at
      fromOwner { name }
      toOwner { name }
      by { name }
    }
  }
`);

export const StagesQuery = graphql(`
  query Stages {
    stages { key name position kind probability gateFields stuckAfterHours }
  }
`);

export const DealsPageQuery = graphql(`
  query DealsPage($filter: DealFilterInput, $first: Int!, $after: String) {
    deals(filter: $filter, first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { ...DealCard } }
    }
  }
`);

export const DealQuery = graphql(`
  query Deal($id: ID!) {
    deal(id: $id) {
      ...DealCard
      productLine
      expectedCloseDate
      source
      coreNeed
      decisionRole
      contact { id name title }
      enteredStageAt
      createdAt
      customer { id name contacts { id name title decisionRole } }
      stageDwells { stage hours visits }
      forwardSkips
      backwardMoves
      timeline(last: 100) { totalCount nodes { ...TimelineItem } }
    }
  }
`);

export const MoveDealStageMutation = graphql(`
  mutation MoveDealStage($input: MoveDealStageInput!) {
    moveDealStage(input: $input) { id stage }
  }
`);

export const CreateDealMutation = graphql(`
  mutation CreateDeal($input: CreateDealInput!) {
    createDeal(input: $input) { id title }
  }
`);

export const StageCountQuery = graphql(`
  query StageCount($stage: String!) {
    deals(filter: { stage: $stage }, first: 0) { totalCount }
  }
`);
