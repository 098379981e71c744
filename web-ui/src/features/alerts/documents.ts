import { graphql } from '../../gql';

export const AlertItemFragment = graphql(`
  fragment AlertItem on Alert {
    id
    kind
    status
    title
    details
    subjectType
    subjectId
    subject {
      __typename
      ... on Deal { id title customer { id name } }
      ... on User { id name }
      ... on Ticket { id number title color deal { id title } }
    }
    recipients { id name }
    createdAt
    acknowledgedAt
    resolvedAt
    escalatedAt
  }
`);

export const AlertsQuery = graphql(`
  query Alerts($filter: AlertFilterInput, $first: Int, $after: String) {
    alerts(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ...AlertItem }
    }
  }
`);

export const AcknowledgeAlertMutation = graphql(`
  mutation AcknowledgeAlert($id: ID!) {
    acknowledgeAlert(id: $id) { id status acknowledgedAt }
  }
`);

export const AlertRulesQuery = graphql(`
  query AlertRules {
    alertRules { kind enabled escalateAfterHours reassignments windowDays withinDays stuckDeals }
  }
`);

export const UpdateAlertRuleMutation = graphql(`
  mutation UpdateAlertRule($input: UpdateAlertRuleInput!) {
    updateAlertRule(input: $input) { kind enabled escalateAfterHours reassignments windowDays withinDays stuckDeals }
  }
`);
