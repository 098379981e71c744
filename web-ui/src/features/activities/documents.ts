import { graphql } from '../../gql';

export const LogActivityMutation = graphql(`
  mutation LogActivity($input: LogActivityInput!) {
    logActivity(input: $input) { id }
  }
`);

export const CustomerDealsQuery = graphql(`
  query CustomerOpenDeals($customerId: ID!) {
    deals(filter: { customerId: $customerId, open: true }, first: 50) { nodes { id title stage } }
    customer(id: $customerId) { id name contacts { id name title decisionRole } }
  }
`);

export const CustomerBriefQuery = graphql(`
  query CustomerBrief($id: ID!) {
    customer(id: $id) { id name creditCode industry region contacts { id name title decisionRole } }
  }
`);
