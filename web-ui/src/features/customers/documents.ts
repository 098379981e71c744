import { graphql } from '../../gql';

export const CustomerSearchQuery = graphql(`
  query CustomerSearch($search: String, $first: Int!, $after: String) {
    customers(filter: { search: $search }, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id name creditCode industry region contacts { id name title decisionRole } }
    }
  }
`);

export const CustomerQuery = graphql(`
  query Customer($id: ID!) {
    customer(id: $id) {
      id
      name
      creditCode
      industry
      region
      size
      owner { id name }
      contacts { id name title phone email decisionRole }
      deals(first: 50) { totalCount nodes { ...DealCard } }
      timeline(last: 100) { totalCount nodes { ...TimelineItem } }
    }
  }
`);

export const CreateCustomerMutation = graphql(`
  mutation CreateCustomer($input: CreateCustomerInput!) {
    createCustomer(input: $input) { id name }
  }
`);

export const CreateContactMutation = graphql(`
  mutation CreateContact($input: CreateContactInput!) {
    createContact(input: $input) { id name customerId }
  }
`);
