import { graphql } from '../../gql';

export const ReceivableFieldsFragment = graphql(`
  fragment ReceivableFields on Receivable {
    id
    contractId
    customerId
    dueDate
    amount { amount currency }
    paid { amount currency }
    outstanding { amount currency }
    fullyPaidOn
    daysOverdue
  }
`);

export const ContractQuery = graphql(`
  query Contract($id: ID!) {
    contract(id: $id) {
      id
      dealId
      customerId
      amount { amount currency }
      paymentTermsDays
      signedAt
      instalments { dueDate amount { amount currency } }
      status
      legalReviewRequired
      legalConfirmedAt
      paymentCheck { passed reasons checkedAt }
      registryStatus
      rejectionReason
      documents { id kind periodMonth fileName contentType sizeBytes downloadUrl uploadedAt }
      receivables { ...ReceivableFields }
      createdAt
    }
  }
`);

export const DealContractsQuery = graphql(`
  query DealContracts($id: ID!) {
    deal(id: $id) {
      id
      stage
      amount { amount currency }
      contracts { id status amount { amount currency } createdAt }
    }
  }
`);

export const CustomerRiskQuery = graphql(`
  query CustomerRisk($id: ID!) {
    customer(id: $id) {
      id
      riskTier
      riskHistory { from to reasons at }
      receivables { ...ReceivableFields }
      onTimeRate
      overdueAmount { amount currency }
    }
  }
`);

export const CollectionForecastQuery = graphql(`
  query CollectionForecast($filter: CollectionForecastFilter, $first: Int) {
    collectionForecast(filter: $filter, first: $first) {
      receivable { ...ReceivableFields }
      customer { id name riskTier }
      owner { id name }
      predictedPaymentDate
      likelyLate
      expectedDaysLate
      warningDate
    }
  }
`);

export const RiskCenterQuery = graphql(`
  query RiskCenter {
    riskCenter {
      customer { id name overdueAmount { amount currency } }
      tier
      litigation
      servicesSuspended
      reasons
      updatedAt
    }
  }
`);

export const CreateContractMutation = graphql(`
  mutation CreateContract($input: CreateContractInput!) {
    createContract(input: $input) { id status }
  }
`);

export const RunPaymentCheckMutation = graphql(`
  mutation RunPaymentCheck($contractId: ID!) {
    runPaymentCheck(contractId: $contractId) { passed reasons checkedAt }
  }
`);

export const SubmitContractMutation = graphql(`
  mutation SubmitContract($id: ID!) {
    submitContract(id: $id) { id status }
  }
`);

export const ApproveContractMutation = graphql(`
  mutation ApproveContract($id: ID!) {
    approveContract(id: $id) { id status }
  }
`);

export const RejectContractMutation = graphql(`
  mutation RejectContract($id: ID!, $reason: String!) {
    rejectContract(id: $id, reason: $reason) { id status }
  }
`);

export const ConfirmContractLegalMutation = graphql(`
  mutation ConfirmContractLegal($id: ID!) {
    confirmContractLegal(id: $id) { id status legalConfirmedAt }
  }
`);

export const RecordPaymentMutation = graphql(`
  mutation RecordPayment($input: RecordPaymentInput!) {
    recordPayment(input: $input) { ...ReceivableFields }
  }
`);

export const FlagLitigationMutation = graphql(`
  mutation FlagLitigation($customerId: ID!, $note: String!) {
    flagLitigation(customerId: $customerId, note: $note)
  }
`);

/** Sent by hand as a multipart request (see upload.ts), never through the outbox. */
export const ATTACH_DOCUMENT = `mutation AttachDocument($contractId: ID!, $kind: DocumentKindValue!, $periodMonth: String, $file: Upload!) {
  attachDocument(contractId: $contractId, kind: $kind, periodMonth: $periodMonth, file: $file) { id kind periodMonth fileName }
}`;

export const IMPORT_PAYMENTS = `mutation ImportPayments($file: Upload!, $dryRun: Boolean!) {
  importPayments(file: $file, dryRun: $dryRun) { dryRun rows applied errors { line field message } }
}`;
