import { graphql } from '../../gql';

export const TicketCardFragment = graphql(`
  fragment TicketCard on Ticket {
    id
    number
    kind
    requirementType
    status
    color
    dueAt
    remainingMinutes
    slaMinutes
    calendarTime
    title
    department
    reworkCount
    assignee { id name }
    requester { id name }
    deal { id title }
    createdAt
    closedAt
  }
`);

export const TicketsQuery = graphql(`
  query Tickets($filter: TicketFilterInput, $first: Int) {
    tickets(filter: $filter, first: $first) {
      totalCount
      nodes { ...TicketCard }
    }
  }
`);

export const TicketQuery = graphql(`
  query Ticket($id: ID!) {
    ticket(id: $id) {
      ...TicketCard
      details
      rating
      firstResponseAt
      history { action fromStatus toStatus actor { id name } note rating at }
    }
  }
`);

export const CreateTicketMutation = graphql(`
  mutation CreateTicket($input: CreateTicketInput!) {
    createTicket(input: $input) { ...TicketCard }
  }
`);

export const StartTicketMutation = graphql(`
  mutation StartTicket($id: ID!) {
    startTicket(id: $id) { ...TicketCard }
  }
`);

export const DeliverTicketMutation = graphql(`
  mutation DeliverTicket($id: ID!, $note: String) {
    deliverTicket(id: $id, note: $note) { ...TicketCard }
  }
`);

export const AcceptTicketMutation = graphql(`
  mutation AcceptTicket($id: ID!, $rating: Int!) {
    acceptTicket(id: $id, rating: $rating) { ...TicketCard }
  }
`);

export const RejectTicketMutation = graphql(`
  mutation RejectTicket($id: ID!, $reason: String!) {
    rejectTicket(id: $id, reason: $reason) { ...TicketCard }
  }
`);

export const BlockTicketMutation = graphql(`
  mutation BlockTicket($id: ID!, $reason: String!) {
    blockTicket(id: $id, reason: $reason) { ...TicketCard }
  }
`);

export const UnblockTicketMutation = graphql(`
  mutation UnblockTicket($id: ID!) {
    unblockTicket(id: $id) { ...TicketCard }
  }
`);
