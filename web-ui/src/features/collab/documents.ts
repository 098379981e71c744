import { graphql } from '../../gql';

export const CollaborationHealthQuery = graphql(`
  query CollaborationHealth($from: DateTime!, $to: DateTime!) {
    byDepartment: collaborationHealth(from: $from, to: $to, groupBy: DEPARTMENT) { ...CollabRow }
    byKind: collaborationHealth(from: $from, to: $to, groupBy: KIND) { ...CollabRow }
  }
`);

export const CollabRowFragment = graphql(`
  fragment CollabRow on CollaborationHealthRow {
    group
    tickets
    respondedTickets
    averageFirstResponseMinutes
    p90FirstResponseMinutes
    slaAttainment
    slaDecidedTickets
    slaMetTickets
    overdueNow
    deliveredTickets
    reworkedTickets
    reworkRate
    acceptedTickets
    firstPassAcceptanceRate
    ratedTickets
    averageSatisfaction
  }
`);
