/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation LogActivity($input: LogActivityInput!) {\n    logActivity(input: $input) { id }\n  }\n": typeof types.LogActivityDocument,
    "\n  query CustomerOpenDeals($customerId: ID!) {\n    deals(filter: { customerId: $customerId, open: true }, first: 50) { nodes { id title stage } }\n    customer(id: $customerId) { id name contacts { id name title decisionRole } }\n  }\n": typeof types.CustomerOpenDealsDocument,
    "\n  query CustomerBrief($id: ID!) {\n    customer(id: $id) { id name creditCode industry region contacts { id name title decisionRole } }\n  }\n": typeof types.CustomerBriefDocument,
    "\n  mutation UpdateStage($input: UpdateStageInput!) {\n    updateStage(input: $input) { key name gateFields stuckAfterHours probability }\n  }\n": typeof types.UpdateStageDocument,
    "\n  fragment BusinessCalendarFields on BusinessCalendar {\n    timeZone\n    workdays\n    workStart\n    workEnd\n    lunchStart\n    lunchEnd\n    holidays\n    extraWorkdays\n  }\n": typeof types.BusinessCalendarFieldsFragmentDoc,
    "\n  query BusinessCalendar {\n    businessCalendar { ...BusinessCalendarFields }\n  }\n": typeof types.BusinessCalendarDocument,
    "\n  mutation SetBusinessCalendar($input: BusinessCalendarInput!) {\n    setBusinessCalendar(input: $input) { ...BusinessCalendarFields }\n  }\n": typeof types.SetBusinessCalendarDocument,
    "\n  mutation ImportHolidays($schedule: String!) {\n    importHolidays(schedule: $schedule) { ...BusinessCalendarFields }\n  }\n": typeof types.ImportHolidaysDocument,
    "\n  query SlaPolicies {\n    slaPolicies { kind requirementType minutes calendarTime routeRole }\n  }\n": typeof types.SlaPoliciesDocument,
    "\n  mutation UpdateSlaPolicy($input: UpdateSlaPolicyInput!) {\n    updateSlaPolicy(input: $input) { kind requirementType minutes calendarTime routeRole }\n  }\n": typeof types.UpdateSlaPolicyDocument,
    "\n  fragment AlertItem on Alert {\n    id\n    kind\n    status\n    title\n    details\n    subjectType\n    subjectId\n    subject {\n      __typename\n      ... on Deal { id title customer { id name } }\n      ... on User { id name }\n      ... on Ticket { id number title color deal { id title } }\n    }\n    recipients { id name }\n    createdAt\n    acknowledgedAt\n    resolvedAt\n    escalatedAt\n  }\n": typeof types.AlertItemFragmentDoc,
    "\n  query Alerts($filter: AlertFilterInput, $first: Int, $after: String) {\n    alerts(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { ...AlertItem }\n    }\n  }\n": typeof types.AlertsDocument,
    "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) { id status acknowledgedAt }\n  }\n": typeof types.AcknowledgeAlertDocument,
    "\n  query AlertRules {\n    alertRules { kind enabled escalateAfterHours reassignments windowDays withinDays stuckDeals }\n  }\n": typeof types.AlertRulesDocument,
    "\n  mutation UpdateAlertRule($input: UpdateAlertRuleInput!) {\n    updateAlertRule(input: $input) { kind enabled escalateAfterHours reassignments windowDays withinDays stuckDeals }\n  }\n": typeof types.UpdateAlertRuleDocument,
    "\n  fragment ChannelItem on Channel { id kind name target hasSecret events createdAt }\n": typeof types.ChannelItemFragmentDoc,
    "\n  query Channels {\n    channels { ...ChannelItem }\n  }\n": typeof types.ChannelsDocument,
    "\n  mutation AddChannel($input: AddChannelInput!) {\n    addChannel(input: $input) { ...ChannelItem }\n  }\n": typeof types.AddChannelDocument,
    "\n  mutation RemoveChannel($id: ID!) {\n    removeChannel(id: $id)\n  }\n": typeof types.RemoveChannelDocument,
    "\n  fragment DeliveryItem on Delivery {\n    id\n    channelId\n    event\n    title\n    status\n    attempts\n    lastError\n    nextAttemptAt\n    createdAt\n    sentAt\n    attemptLog { attempt outcome detail at }\n  }\n": typeof types.DeliveryItemFragmentDoc,
    "\n  mutation TestChannel($id: ID!) {\n    testChannel(id: $id) { ...DeliveryItem }\n  }\n": typeof types.TestChannelDocument,
    "\n  query Deliveries($filter: DeliveryFilterInput, $first: Int) {\n    deliveries(filter: $filter, first: $first) {\n      totalCount\n      nodes { ...DeliveryItem }\n    }\n  }\n": typeof types.DeliveriesDocument,
    "\n  mutation RedriveDelivery($id: ID!) {\n    redriveDelivery(id: $id) { ...DeliveryItem }\n  }\n": typeof types.RedriveDeliveryDocument,
    "\n  query NotificationPreferences {\n    notificationPreferences { channelId kinds }\n  }\n": typeof types.NotificationPreferencesDocument,
    "\n  mutation SetNotificationPreference($input: NotificationPreferenceInput!) {\n    setNotificationPreference(input: $input) { channelId kinds }\n  }\n": typeof types.SetNotificationPreferenceDocument,
    "\n  query CollaborationHealth($from: DateTime!, $to: DateTime!) {\n    byDepartment: collaborationHealth(from: $from, to: $to, groupBy: DEPARTMENT) { ...CollabRow }\n    byKind: collaborationHealth(from: $from, to: $to, groupBy: KIND) { ...CollabRow }\n  }\n": typeof types.CollaborationHealthDocument,
    "\n  fragment CollabRow on CollaborationHealthRow {\n    group\n    tickets\n    respondedTickets\n    averageFirstResponseMinutes\n    p90FirstResponseMinutes\n    slaAttainment\n    slaDecidedTickets\n    slaMetTickets\n    overdueNow\n    deliveredTickets\n    reworkedTickets\n    reworkRate\n    acceptedTickets\n    firstPassAcceptanceRate\n    ratedTickets\n    averageSatisfaction\n  }\n": typeof types.CollabRowFragmentDoc,
    "\n  query CustomerSearch($search: String, $first: Int!, $after: String) {\n    customers(filter: { search: $search }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id name creditCode industry region contacts { id name title decisionRole } }\n    }\n  }\n": typeof types.CustomerSearchDocument,
    "\n  query Customer($id: ID!) {\n    customer(id: $id) {\n      id\n      name\n      creditCode\n      industry\n      region\n      size\n      owner { id name }\n      contacts { id name title phone email decisionRole }\n      deals(first: 50) { totalCount nodes { ...DealCard } }\n      timeline(last: 100) { totalCount nodes { ...TimelineItem } }\n    }\n  }\n": typeof types.CustomerDocument,
    "\n  mutation CreateCustomer($input: CreateCustomerInput!) {\n    createCustomer(input: $input) { id name }\n  }\n": typeof types.CreateCustomerDocument,
    "\n  mutation CreateContact($input: CreateContactInput!) {\n    createContact(input: $input) { id name customerId }\n  }\n": typeof types.CreateContactDocument,
    "\n  fragment DealCard on Deal {\n    id\n    title\n    stage\n    stageDetails { key name kind }\n    customer { id name }\n    owner { id name }\n    amount { amount currency }\n    nextFollowUpAt\n    dwellHours\n    lastActivityAt\n  }\n": typeof types.DealCardFragmentDoc,
    "\n  fragment TimelineItem on TimelineEvent {\n    __typename\n    ... on Activity {\n      id\n      kind\n      text\n      occurredAt\n      nextFollowUpAt\n      dealId\n      author { name }\n      contact { name }\n    }\n    ... on StageTransition {\n      id\n      fromStage\n      toStage\n      at\n      backward\n      forwardSkips\n      coreNeed\n      decisionRole\n      nextFollowUpAt\n      lostReason\n      by { name }\n    }\n    ... on DealReassignment {\n      id\n      at\n      fromOwner { name }\n      toOwner { name }\n      by { name }\n    }\n  }\n": typeof types.TimelineItemFragmentDoc,
    "\n  query Stages {\n    stages { key name position kind probability gateFields stuckAfterHours }\n  }\n": typeof types.StagesDocument,
    "\n  query DealsPage($filter: DealFilterInput, $first: Int!, $after: String) {\n    deals(filter: $filter, first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { ...DealCard } }\n    }\n  }\n": typeof types.DealsPageDocument,
    "\n  query Deal($id: ID!) {\n    deal(id: $id) {\n      ...DealCard\n      productLine\n      expectedCloseDate\n      source\n      coreNeed\n      decisionRole\n      contact { id name title }\n      enteredStageAt\n      createdAt\n      customer { id name contacts { id name title decisionRole } }\n      stageDwells { stage hours visits }\n      forwardSkips\n      backwardMoves\n      timeline(last: 100) { totalCount nodes { ...TimelineItem } }\n    }\n  }\n": typeof types.DealDocument,
    "\n  mutation MoveDealStage($input: MoveDealStageInput!) {\n    moveDealStage(input: $input) { id stage }\n  }\n": typeof types.MoveDealStageDocument,
    "\n  mutation CreateDeal($input: CreateDealInput!) {\n    createDeal(input: $input) { id title }\n  }\n": typeof types.CreateDealDocument,
    "\n  query StageCount($stage: String!) {\n    deals(filter: { stage: $stage }, first: 0) { totalCount }\n  }\n": typeof types.StageCountDocument,
    "\n  fragment FunnelFigures on FunnelHealth {\n    userId\n    from\n    to\n    asOf\n    user { id name }\n    team { id name }\n    stageDwell { stage averageHours teamMedianHours exits }\n    forwardSkips { value teamMedian }\n    backwardMoves { value teamMedian }\n    stuckDeals { value teamMedian }\n    overdueFollowUps { value teamMedian }\n    conversion { fromStage toStage entered advanced rate teamMedianRate }\n  }\n": typeof types.FunnelFiguresFragmentDoc,
    "\n  query FunnelHealth($userId: ID!, $from: DateTime!, $to: DateTime!) {\n    funnelHealth(userId: $userId, from: $from, to: $to) { ...FunnelFigures }\n  }\n": typeof types.FunnelHealthDocument,
    "\n  query People {\n    users { id name role active team { id } manager { id } }\n    teams { id name manager { id } }\n  }\n": typeof types.PeopleDocument,
    "\n  query RepSummary($userId: ID!, $from: DateTime!, $to: DateTime!) {\n    funnelHealth(userId: $userId, from: $from, to: $to) { ...FunnelFigures }\n    stuck: deals(filter: { ownerId: $userId, stuck: true }, first: 10) {\n      totalCount\n      nodes { ...DealCard }\n    }\n  }\n": typeof types.RepSummaryDocument,
    "\n  fragment ReceivableFields on Receivable {\n    id\n    contractId\n    customerId\n    dueDate\n    amount { amount currency }\n    paid { amount currency }\n    outstanding { amount currency }\n    fullyPaidOn\n    daysOverdue\n  }\n": typeof types.ReceivableFieldsFragmentDoc,
    "\n  query Contract($id: ID!) {\n    contract(id: $id) {\n      id\n      dealId\n      customerId\n      amount { amount currency }\n      paymentTermsDays\n      signedAt\n      instalments { dueDate amount { amount currency } }\n      status\n      legalReviewRequired\n      legalConfirmedAt\n      paymentCheck { passed reasons checkedAt }\n      registryStatus\n      rejectionReason\n      documents { id kind periodMonth fileName contentType sizeBytes downloadUrl uploadedAt }\n      receivables { ...ReceivableFields }\n      createdAt\n    }\n  }\n": typeof types.ContractDocument,
    "\n  query DealContracts($id: ID!) {\n    deal(id: $id) {\n      id\n      stage\n      amount { amount currency }\n      contracts { id status amount { amount currency } createdAt }\n    }\n  }\n": typeof types.DealContractsDocument,
    "\n  query CustomerRisk($id: ID!) {\n    customer(id: $id) {\n      id\n      riskTier\n      riskHistory { from to reasons at }\n      receivables { ...ReceivableFields }\n      onTimeRate\n      overdueAmount { amount currency }\n    }\n  }\n": typeof types.CustomerRiskDocument,
    "\n  query CollectionForecast($filter: CollectionForecastFilter, $first: Int) {\n    collectionForecast(filter: $filter, first: $first) {\n      receivable { ...ReceivableFields }\n      customer { id name riskTier }\n      owner { id name }\n      predictedPaymentDate\n      likelyLate\n      expectedDaysLate\n      warningDate\n    }\n  }\n": typeof types.CollectionForecastDocument,
    "\n  query RiskCenter {\n    riskCenter {\n      customer { id name overdueAmount { amount currency } }\n      tier\n      litigation\n      servicesSuspended\n      reasons\n      updatedAt\n    }\n  }\n": typeof types.RiskCenterDocument,
    "\n  mutation CreateContract($input: CreateContractInput!) {\n    createContract(input: $input) { id status }\n  }\n": typeof types.CreateContractDocument,
    "\n  mutation RunPaymentCheck($contractId: ID!) {\n    runPaymentCheck(contractId: $contractId) { passed reasons checkedAt }\n  }\n": typeof types.RunPaymentCheckDocument,
    "\n  mutation SubmitContract($id: ID!) {\n    submitContract(id: $id) { id status }\n  }\n": typeof types.SubmitContractDocument,
    "\n  mutation ApproveContract($id: ID!) {\n    approveContract(id: $id) { id status }\n  }\n": typeof types.ApproveContractDocument,
    "\n  mutation RejectContract($id: ID!, $reason: String!) {\n    rejectContract(id: $id, reason: $reason) { id status }\n  }\n": typeof types.RejectContractDocument,
    "\n  mutation ConfirmContractLegal($id: ID!) {\n    confirmContractLegal(id: $id) { id status legalConfirmedAt }\n  }\n": typeof types.ConfirmContractLegalDocument,
    "\n  mutation RecordPayment($input: RecordPaymentInput!) {\n    recordPayment(input: $input) { ...ReceivableFields }\n  }\n": typeof types.RecordPaymentDocument,
    "\n  mutation FlagLitigation($customerId: ID!, $note: String!) {\n    flagLitigation(customerId: $customerId, note: $note)\n  }\n": typeof types.FlagLitigationDocument,
    "\n  fragment TicketCard on Ticket {\n    id\n    number\n    kind\n    requirementType\n    status\n    color\n    dueAt\n    remainingMinutes\n    slaMinutes\n    calendarTime\n    title\n    department\n    reworkCount\n    assignee { id name }\n    requester { id name }\n    deal { id title }\n    createdAt\n    closedAt\n  }\n": typeof types.TicketCardFragmentDoc,
    "\n  query Tickets($filter: TicketFilterInput, $first: Int) {\n    tickets(filter: $filter, first: $first) {\n      totalCount\n      nodes { ...TicketCard }\n    }\n  }\n": typeof types.TicketsDocument,
    "\n  query Ticket($id: ID!) {\n    ticket(id: $id) {\n      ...TicketCard\n      details\n      rating\n      firstResponseAt\n      history { action fromStatus toStatus actor { id name } note rating at }\n    }\n  }\n": typeof types.TicketDocument,
    "\n  mutation CreateTicket($input: CreateTicketInput!) {\n    createTicket(input: $input) { ...TicketCard }\n  }\n": typeof types.CreateTicketDocument,
    "\n  mutation StartTicket($id: ID!) {\n    startTicket(id: $id) { ...TicketCard }\n  }\n": typeof types.StartTicketDocument,
    "\n  mutation DeliverTicket($id: ID!, $note: String) {\n    deliverTicket(id: $id, note: $note) { ...TicketCard }\n  }\n": typeof types.DeliverTicketDocument,
    "\n  mutation AcceptTicket($id: ID!, $rating: Int!) {\n    acceptTicket(id: $id, rating: $rating) { ...TicketCard }\n  }\n": typeof types.AcceptTicketDocument,
    "\n  mutation RejectTicket($id: ID!, $reason: String!) {\n    rejectTicket(id: $id, reason: $reason) { ...TicketCard }\n  }\n": typeof types.RejectTicketDocument,
    "\n  mutation BlockTicket($id: ID!, $reason: String!) {\n    blockTicket(id: $id, reason: $reason) { ...TicketCard }\n  }\n": typeof types.BlockTicketDocument,
    "\n  mutation UnblockTicket($id: ID!) {\n    unblockTicket(id: $id) { ...TicketCard }\n  }\n": typeof types.UnblockTicketDocument,
    "\n  query Today($me: ID!, $dueBefore: DateTime!) {\n    due: deals(filter: { open: true, ownerId: $me, followUpDueBefore: $dueBefore }, first: 50) {\n      totalCount\n      nodes { ...DealCard }\n    }\n    stuck: deals(filter: { open: true, ownerId: $me, stuck: true }, first: 20) {\n      totalCount\n      nodes { ...DealCard }\n    }\n    open: deals(filter: { open: true, ownerId: $me }, first: 20, orderBy: { field: UPDATED_AT, direction: DESC }) {\n      totalCount\n      nodes { ...DealCard }\n    }\n  }\n": typeof types.TodayDocument,
};
const documents: Documents = {
    "\n  mutation LogActivity($input: LogActivityInput!) {\n    logActivity(input: $input) { id }\n  }\n": types.LogActivityDocument,
    "\n  query CustomerOpenDeals($customerId: ID!) {\n    deals(filter: { customerId: $customerId, open: true }, first: 50) { nodes { id title stage } }\n    customer(id: $customerId) { id name contacts { id name title decisionRole } }\n  }\n": types.CustomerOpenDealsDocument,
    "\n  query CustomerBrief($id: ID!) {\n    customer(id: $id) { id name creditCode industry region contacts { id name title decisionRole } }\n  }\n": types.CustomerBriefDocument,
    "\n  mutation UpdateStage($input: UpdateStageInput!) {\n    updateStage(input: $input) { key name gateFields stuckAfterHours probability }\n  }\n": types.UpdateStageDocument,
    "\n  fragment BusinessCalendarFields on BusinessCalendar {\n    timeZone\n    workdays\n    workStart\n    workEnd\n    lunchStart\n    lunchEnd\n    holidays\n    extraWorkdays\n  }\n": types.BusinessCalendarFieldsFragmentDoc,
    "\n  query BusinessCalendar {\n    businessCalendar { ...BusinessCalendarFields }\n  }\n": types.BusinessCalendarDocument,
    "\n  mutation SetBusinessCalendar($input: BusinessCalendarInput!) {\n    setBusinessCalendar(input: $input) { ...BusinessCalendarFields }\n  }\n": types.SetBusinessCalendarDocument,
    "\n  mutation ImportHolidays($schedule: String!) {\n    importHolidays(schedule: $schedule) { ...BusinessCalendarFields }\n  }\n": types.ImportHolidaysDocument,
    "\n  query SlaPolicies {\n    slaPolicies { kind requirementType minutes calendarTime routeRole }\n  }\n": types.SlaPoliciesDocument,
    "\n  mutation UpdateSlaPolicy($input: UpdateSlaPolicyInput!) {\n    updateSlaPolicy(input: $input) { kind requirementType minutes calendarTime routeRole }\n  }\n": types.UpdateSlaPolicyDocument,
    "\n  fragment AlertItem on Alert {\n    id\n    kind\n    status\n    title\n    details\n    subjectType\n    subjectId\n    subject {\n      __typename\n      ... on Deal { id title customer { id name } }\n      ... on User { id name }\n      ... on Ticket { id number title color deal { id title } }\n    }\n    recipients { id name }\n    createdAt\n    acknowledgedAt\n    resolvedAt\n    escalatedAt\n  }\n": types.AlertItemFragmentDoc,
    "\n  query Alerts($filter: AlertFilterInput, $first: Int, $after: String) {\n    alerts(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { ...AlertItem }\n    }\n  }\n": types.AlertsDocument,
    "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) { id status acknowledgedAt }\n  }\n": types.AcknowledgeAlertDocument,
    "\n  query AlertRules {\n    alertRules { kind enabled escalateAfterHours reassignments windowDays withinDays stuckDeals }\n  }\n": types.AlertRulesDocument,
    "\n  mutation UpdateAlertRule($input: UpdateAlertRuleInput!) {\n    updateAlertRule(input: $input) { kind enabled escalateAfterHours reassignments windowDays withinDays stuckDeals }\n  }\n": types.UpdateAlertRuleDocument,
    "\n  fragment ChannelItem on Channel { id kind name target hasSecret events createdAt }\n": types.ChannelItemFragmentDoc,
    "\n  query Channels {\n    channels { ...ChannelItem }\n  }\n": types.ChannelsDocument,
    "\n  mutation AddChannel($input: AddChannelInput!) {\n    addChannel(input: $input) { ...ChannelItem }\n  }\n": types.AddChannelDocument,
    "\n  mutation RemoveChannel($id: ID!) {\n    removeChannel(id: $id)\n  }\n": types.RemoveChannelDocument,
    "\n  fragment DeliveryItem on Delivery {\n    id\n    channelId\n    event\n    title\n    status\n    attempts\n    lastError\n    nextAttemptAt\n    createdAt\n    sentAt\n    attemptLog { attempt outcome detail at }\n  }\n": types.DeliveryItemFragmentDoc,
    "\n  mutation TestChannel($id: ID!) {\n    testChannel(id: $id) { ...DeliveryItem }\n  }\n": types.TestChannelDocument,
    "\n  query Deliveries($filter: DeliveryFilterInput, $first: Int) {\n    deliveries(filter: $filter, first: $first) {\n      totalCount\n      nodes { ...DeliveryItem }\n    }\n  }\n": types.DeliveriesDocument,
    "\n  mutation RedriveDelivery($id: ID!) {\n    redriveDelivery(id: $id) { ...DeliveryItem }\n  }\n": types.RedriveDeliveryDocument,
    "\n  query NotificationPreferences {\n    notificationPreferences { channelId kinds }\n  }\n": types.NotificationPreferencesDocument,
    "\n  mutation SetNotificationPreference($input: NotificationPreferenceInput!) {\n    setNotificationPreference(input: $input) { channelId kinds }\n  }\n": types.SetNotificationPreferenceDocument,
    "\n  query CollaborationHealth($from: DateTime!, $to: DateTime!) {\n    byDepartment: collaborationHealth(from: $from, to: $to, groupBy: DEPARTMENT) { ...CollabRow }\n    byKind: collaborationHealth(from: $from, to: $to, groupBy: KIND) { ...CollabRow }\n  }\n": types.CollaborationHealthDocument,
    "\n  fragment CollabRow on CollaborationHealthRow {\n    group\n    tickets\n    respondedTickets\n    averageFirstResponseMinutes\n    p90FirstResponseMinutes\n    slaAttainment\n    slaDecidedTickets\n    slaMetTickets\n    overdueNow\n    deliveredTickets\n    reworkedTickets\n    reworkRate\n    acceptedTickets\n    firstPassAcceptanceRate\n    ratedTickets\n    averageSatisfaction\n  }\n": types.CollabRowFragmentDoc,
    "\n  query CustomerSearch($search: String, $first: Int!, $after: String) {\n    customers(filter: { search: $search }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id name creditCode industry region contacts { id name title decisionRole } }\n    }\n  }\n": types.CustomerSearchDocument,
    "\n  query Customer($id: ID!) {\n    customer(id: $id) {\n      id\n      name\n      creditCode\n      industry\n      region\n      size\n      owner { id name }\n      contacts { id name title phone email decisionRole }\n      deals(first: 50) { totalCount nodes { ...DealCard } }\n      timeline(last: 100) { totalCount nodes { ...TimelineItem } }\n    }\n  }\n": types.CustomerDocument,
    "\n  mutation CreateCustomer($input: CreateCustomerInput!) {\n    createCustomer(input: $input) { id name }\n  }\n": types.CreateCustomerDocument,
    "\n  mutation CreateContact($input: CreateContactInput!) {\n    createContact(input: $input) { id name customerId }\n  }\n": types.CreateContactDocument,
    "\n  fragment DealCard on Deal {\n    id\n    title\n    stage\n    stageDetails { key name kind }\n    customer { id name }\n    owner { id name }\n    amount { amount currency }\n    nextFollowUpAt\n    dwellHours\n    lastActivityAt\n  }\n": types.DealCardFragmentDoc,
    "\n  fragment TimelineItem on TimelineEvent {\n    __typename\n    ... on Activity {\n      id\n      kind\n      text\n      occurredAt\n      nextFollowUpAt\n      dealId\n      author { name }\n      contact { name }\n    }\n    ... on StageTransition {\n      id\n      fromStage\n      toStage\n      at\n      backward\n      forwardSkips\n      coreNeed\n      decisionRole\n      nextFollowUpAt\n      lostReason\n      by { name }\n    }\n    ... on DealReassignment {\n      id\n      at\n      fromOwner { name }\n      toOwner { name }\n      by { name }\n    }\n  }\n": types.TimelineItemFragmentDoc,
    "\n  query Stages {\n    stages { key name position kind probability gateFields stuckAfterHours }\n  }\n": types.StagesDocument,
    "\n  query DealsPage($filter: DealFilterInput, $first: Int!, $after: String) {\n    deals(filter: $filter, first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { ...DealCard } }\n    }\n  }\n": types.DealsPageDocument,
    "\n  query Deal($id: ID!) {\n    deal(id: $id) {\n      ...DealCard\n      productLine\n      expectedCloseDate\n      source\n      coreNeed\n      decisionRole\n      contact { id name title }\n      enteredStageAt\n      createdAt\n      customer { id name contacts { id name title decisionRole } }\n      stageDwells { stage hours visits }\n      forwardSkips\n      backwardMoves\n      timeline(last: 100) { totalCount nodes { ...TimelineItem } }\n    }\n  }\n": types.DealDocument,
    "\n  mutation MoveDealStage($input: MoveDealStageInput!) {\n    moveDealStage(input: $input) { id stage }\n  }\n": types.MoveDealStageDocument,
    "\n  mutation CreateDeal($input: CreateDealInput!) {\n    createDeal(input: $input) { id title }\n  }\n": types.CreateDealDocument,
    "\n  query StageCount($stage: String!) {\n    deals(filter: { stage: $stage }, first: 0) { totalCount }\n  }\n": types.StageCountDocument,
    "\n  fragment FunnelFigures on FunnelHealth {\n    userId\n    from\n    to\n    asOf\n    user { id name }\n    team { id name }\n    stageDwell { stage averageHours teamMedianHours exits }\n    forwardSkips { value teamMedian }\n    backwardMoves { value teamMedian }\n    stuckDeals { value teamMedian }\n    overdueFollowUps { value teamMedian }\n    conversion { fromStage toStage entered advanced rate teamMedianRate }\n  }\n": types.FunnelFiguresFragmentDoc,
    "\n  query FunnelHealth($userId: ID!, $from: DateTime!, $to: DateTime!) {\n    funnelHealth(userId: $userId, from: $from, to: $to) { ...FunnelFigures }\n  }\n": types.FunnelHealthDocument,
    "\n  query People {\n    users { id name role active team { id } manager { id } }\n    teams { id name manager { id } }\n  }\n": types.PeopleDocument,
    "\n  query RepSummary($userId: ID!, $from: DateTime!, $to: DateTime!) {\n    funnelHealth(userId: $userId, from: $from, to: $to) { ...FunnelFigures }\n    stuck: deals(filter: { ownerId: $userId, stuck: true }, first: 10) {\n      totalCount\n      nodes { ...DealCard }\n    }\n  }\n": types.RepSummaryDocument,
    "\n  fragment ReceivableFields on Receivable {\n    id\n    contractId\n    customerId\n    dueDate\n    amount { amount currency }\n    paid { amount currency }\n    outstanding { amount currency }\n    fullyPaidOn\n    daysOverdue\n  }\n": types.ReceivableFieldsFragmentDoc,
    "\n  query Contract($id: ID!) {\n    contract(id: $id) {\n      id\n      dealId\n      customerId\n      amount { amount currency }\n      paymentTermsDays\n      signedAt\n      instalments { dueDate amount { amount currency } }\n      status\n      legalReviewRequired\n      legalConfirmedAt\n      paymentCheck { passed reasons checkedAt }\n      registryStatus\n      rejectionReason\n      documents { id kind periodMonth fileName contentType sizeBytes downloadUrl uploadedAt }\n      receivables { ...ReceivableFields }\n      createdAt\n    }\n  }\n": types.ContractDocument,
    "\n  query DealContracts($id: ID!) {\n    deal(id: $id) {\n      id\n      stage\n      amount { amount currency }\n      contracts { id status amount { amount currency } createdAt }\n    }\n  }\n": types.DealContractsDocument,
    "\n  query CustomerRisk($id: ID!) {\n    customer(id: $id) {\n      id\n      riskTier\n      riskHistory { from to reasons at }\n      receivables { ...ReceivableFields }\n      onTimeRate\n      overdueAmount { amount currency }\n    }\n  }\n": types.CustomerRiskDocument,
    "\n  query CollectionForecast($filter: CollectionForecastFilter, $first: Int) {\n    collectionForecast(filter: $filter, first: $first) {\n      receivable { ...ReceivableFields }\n      customer { id name riskTier }\n      owner { id name }\n      predictedPaymentDate\n      likelyLate\n      expectedDaysLate\n      warningDate\n    }\n  }\n": types.CollectionForecastDocument,
    "\n  query RiskCenter {\n    riskCenter {\n      customer { id name overdueAmount { amount currency } }\n      tier\n      litigation\n      servicesSuspended\n      reasons\n      updatedAt\n    }\n  }\n": types.RiskCenterDocument,
    "\n  mutation CreateContract($input: CreateContractInput!) {\n    createContract(input: $input) { id status }\n  }\n": types.CreateContractDocument,
    "\n  mutation RunPaymentCheck($contractId: ID!) {\n    runPaymentCheck(contractId: $contractId) { passed reasons checkedAt }\n  }\n": types.RunPaymentCheckDocument,
    "\n  mutation SubmitContract($id: ID!) {\n    submitContract(id: $id) { id status }\n  }\n": types.SubmitContractDocument,
    "\n  mutation ApproveContract($id: ID!) {\n    approveContract(id: $id) { id status }\n  }\n": types.ApproveContractDocument,
    "\n  mutation RejectContract($id: ID!, $reason: String!) {\n    rejectContract(id: $id, reason: $reason) { id status }\n  }\n": types.RejectContractDocument,
    "\n  mutation ConfirmContractLegal($id: ID!) {\n    confirmContractLegal(id: $id) { id status legalConfirmedAt }\n  }\n": types.ConfirmContractLegalDocument,
    "\n  mutation RecordPayment($input: RecordPaymentInput!) {\n    recordPayment(input: $input) { ...ReceivableFields }\n  }\n": types.RecordPaymentDocument,
    "\n  mutation FlagLitigation($customerId: ID!, $note: String!) {\n    flagLitigation(customerId: $customerId, note: $note)\n  }\n": types.FlagLitigationDocument,
    "\n  fragment TicketCard on Ticket {\n    id\n    number\n    kind\n    requirementType\n    status\n    color\n    dueAt\n    remainingMinutes\n    slaMinutes\n    calendarTime\n    title\n    department\n    reworkCount\n    assignee { id name }\n    requester { id name }\n    deal { id title }\n    createdAt\n    closedAt\n  }\n": types.TicketCardFragmentDoc,
    "\n  query Tickets($filter: TicketFilterInput, $first: Int) {\n    tickets(filter: $filter, first: $first) {\n      totalCount\n      nodes { ...TicketCard }\n    }\n  }\n": types.TicketsDocument,
    "\n  query Ticket($id: ID!) {\n    ticket(id: $id) {\n      ...TicketCard\n      details\n      rating\n      firstResponseAt\n      history { action fromStatus toStatus actor { id name } note rating at }\n    }\n  }\n": types.TicketDocument,
    "\n  mutation CreateTicket($input: CreateTicketInput!) {\n    createTicket(input: $input) { ...TicketCard }\n  }\n": types.CreateTicketDocument,
    "\n  mutation StartTicket($id: ID!) {\n    startTicket(id: $id) { ...TicketCard }\n  }\n": types.StartTicketDocument,
    "\n  mutation DeliverTicket($id: ID!, $note: String) {\n    deliverTicket(id: $id, note: $note) { ...TicketCard }\n  }\n": types.DeliverTicketDocument,
    "\n  mutation AcceptTicket($id: ID!, $rating: Int!) {\n    acceptTicket(id: $id, rating: $rating) { ...TicketCard }\n  }\n": types.AcceptTicketDocument,
    "\n  mutation RejectTicket($id: ID!, $reason: String!) {\n    rejectTicket(id: $id, reason: $reason) { ...TicketCard }\n  }\n": types.RejectTicketDocument,
    "\n  mutation BlockTicket($id: ID!, $reason: String!) {\n    blockTicket(id: $id, reason: $reason) { ...TicketCard }\n  }\n": types.BlockTicketDocument,
    "\n  mutation UnblockTicket($id: ID!) {\n    unblockTicket(id: $id) { ...TicketCard }\n  }\n": types.UnblockTicketDocument,
    "\n  query Today($me: ID!, $dueBefore: DateTime!) {\n    due: deals(filter: { open: true, ownerId: $me, followUpDueBefore: $dueBefore }, first: 50) {\n      totalCount\n      nodes { ...DealCard }\n    }\n    stuck: deals(filter: { open: true, ownerId: $me, stuck: true }, first: 20) {\n      totalCount\n      nodes { ...DealCard }\n    }\n    open: deals(filter: { open: true, ownerId: $me }, first: 20, orderBy: { field: UPDATED_AT, direction: DESC }) {\n      totalCount\n      nodes { ...DealCard }\n    }\n  }\n": types.TodayDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogActivity($input: LogActivityInput!) {\n    logActivity(input: $input) { id }\n  }\n"): (typeof documents)["\n  mutation LogActivity($input: LogActivityInput!) {\n    logActivity(input: $input) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerOpenDeals($customerId: ID!) {\n    deals(filter: { customerId: $customerId, open: true }, first: 50) { nodes { id title stage } }\n    customer(id: $customerId) { id name contacts { id name title decisionRole } }\n  }\n"): (typeof documents)["\n  query CustomerOpenDeals($customerId: ID!) {\n    deals(filter: { customerId: $customerId, open: true }, first: 50) { nodes { id title stage } }\n    customer(id: $customerId) { id name contacts { id name title decisionRole } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerBrief($id: ID!) {\n    customer(id: $id) { id name creditCode industry region contacts { id name title decisionRole } }\n  }\n"): (typeof documents)["\n  query CustomerBrief($id: ID!) {\n    customer(id: $id) { id name creditCode industry region contacts { id name title decisionRole } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateStage($input: UpdateStageInput!) {\n    updateStage(input: $input) { key name gateFields stuckAfterHours probability }\n  }\n"): (typeof documents)["\n  mutation UpdateStage($input: UpdateStageInput!) {\n    updateStage(input: $input) { key name gateFields stuckAfterHours probability }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BusinessCalendarFields on BusinessCalendar {\n    timeZone\n    workdays\n    workStart\n    workEnd\n    lunchStart\n    lunchEnd\n    holidays\n    extraWorkdays\n  }\n"): (typeof documents)["\n  fragment BusinessCalendarFields on BusinessCalendar {\n    timeZone\n    workdays\n    workStart\n    workEnd\n    lunchStart\n    lunchEnd\n    holidays\n    extraWorkdays\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BusinessCalendar {\n    businessCalendar { ...BusinessCalendarFields }\n  }\n"): (typeof documents)["\n  query BusinessCalendar {\n    businessCalendar { ...BusinessCalendarFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetBusinessCalendar($input: BusinessCalendarInput!) {\n    setBusinessCalendar(input: $input) { ...BusinessCalendarFields }\n  }\n"): (typeof documents)["\n  mutation SetBusinessCalendar($input: BusinessCalendarInput!) {\n    setBusinessCalendar(input: $input) { ...BusinessCalendarFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ImportHolidays($schedule: String!) {\n    importHolidays(schedule: $schedule) { ...BusinessCalendarFields }\n  }\n"): (typeof documents)["\n  mutation ImportHolidays($schedule: String!) {\n    importHolidays(schedule: $schedule) { ...BusinessCalendarFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SlaPolicies {\n    slaPolicies { kind requirementType minutes calendarTime routeRole }\n  }\n"): (typeof documents)["\n  query SlaPolicies {\n    slaPolicies { kind requirementType minutes calendarTime routeRole }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSlaPolicy($input: UpdateSlaPolicyInput!) {\n    updateSlaPolicy(input: $input) { kind requirementType minutes calendarTime routeRole }\n  }\n"): (typeof documents)["\n  mutation UpdateSlaPolicy($input: UpdateSlaPolicyInput!) {\n    updateSlaPolicy(input: $input) { kind requirementType minutes calendarTime routeRole }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlertItem on Alert {\n    id\n    kind\n    status\n    title\n    details\n    subjectType\n    subjectId\n    subject {\n      __typename\n      ... on Deal { id title customer { id name } }\n      ... on User { id name }\n      ... on Ticket { id number title color deal { id title } }\n    }\n    recipients { id name }\n    createdAt\n    acknowledgedAt\n    resolvedAt\n    escalatedAt\n  }\n"): (typeof documents)["\n  fragment AlertItem on Alert {\n    id\n    kind\n    status\n    title\n    details\n    subjectType\n    subjectId\n    subject {\n      __typename\n      ... on Deal { id title customer { id name } }\n      ... on User { id name }\n      ... on Ticket { id number title color deal { id title } }\n    }\n    recipients { id name }\n    createdAt\n    acknowledgedAt\n    resolvedAt\n    escalatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Alerts($filter: AlertFilterInput, $first: Int, $after: String) {\n    alerts(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { ...AlertItem }\n    }\n  }\n"): (typeof documents)["\n  query Alerts($filter: AlertFilterInput, $first: Int, $after: String) {\n    alerts(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { ...AlertItem }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) { id status acknowledgedAt }\n  }\n"): (typeof documents)["\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) { id status acknowledgedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertRules {\n    alertRules { kind enabled escalateAfterHours reassignments windowDays withinDays stuckDeals }\n  }\n"): (typeof documents)["\n  query AlertRules {\n    alertRules { kind enabled escalateAfterHours reassignments windowDays withinDays stuckDeals }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAlertRule($input: UpdateAlertRuleInput!) {\n    updateAlertRule(input: $input) { kind enabled escalateAfterHours reassignments windowDays withinDays stuckDeals }\n  }\n"): (typeof documents)["\n  mutation UpdateAlertRule($input: UpdateAlertRuleInput!) {\n    updateAlertRule(input: $input) { kind enabled escalateAfterHours reassignments windowDays withinDays stuckDeals }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ChannelItem on Channel { id kind name target hasSecret events createdAt }\n"): (typeof documents)["\n  fragment ChannelItem on Channel { id kind name target hasSecret events createdAt }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Channels {\n    channels { ...ChannelItem }\n  }\n"): (typeof documents)["\n  query Channels {\n    channels { ...ChannelItem }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddChannel($input: AddChannelInput!) {\n    addChannel(input: $input) { ...ChannelItem }\n  }\n"): (typeof documents)["\n  mutation AddChannel($input: AddChannelInput!) {\n    addChannel(input: $input) { ...ChannelItem }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveChannel($id: ID!) {\n    removeChannel(id: $id)\n  }\n"): (typeof documents)["\n  mutation RemoveChannel($id: ID!) {\n    removeChannel(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DeliveryItem on Delivery {\n    id\n    channelId\n    event\n    title\n    status\n    attempts\n    lastError\n    nextAttemptAt\n    createdAt\n    sentAt\n    attemptLog { attempt outcome detail at }\n  }\n"): (typeof documents)["\n  fragment DeliveryItem on Delivery {\n    id\n    channelId\n    event\n    title\n    status\n    attempts\n    lastError\n    nextAttemptAt\n    createdAt\n    sentAt\n    attemptLog { attempt outcome detail at }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestChannel($id: ID!) {\n    testChannel(id: $id) { ...DeliveryItem }\n  }\n"): (typeof documents)["\n  mutation TestChannel($id: ID!) {\n    testChannel(id: $id) { ...DeliveryItem }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Deliveries($filter: DeliveryFilterInput, $first: Int) {\n    deliveries(filter: $filter, first: $first) {\n      totalCount\n      nodes { ...DeliveryItem }\n    }\n  }\n"): (typeof documents)["\n  query Deliveries($filter: DeliveryFilterInput, $first: Int) {\n    deliveries(filter: $filter, first: $first) {\n      totalCount\n      nodes { ...DeliveryItem }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RedriveDelivery($id: ID!) {\n    redriveDelivery(id: $id) { ...DeliveryItem }\n  }\n"): (typeof documents)["\n  mutation RedriveDelivery($id: ID!) {\n    redriveDelivery(id: $id) { ...DeliveryItem }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NotificationPreferences {\n    notificationPreferences { channelId kinds }\n  }\n"): (typeof documents)["\n  query NotificationPreferences {\n    notificationPreferences { channelId kinds }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetNotificationPreference($input: NotificationPreferenceInput!) {\n    setNotificationPreference(input: $input) { channelId kinds }\n  }\n"): (typeof documents)["\n  mutation SetNotificationPreference($input: NotificationPreferenceInput!) {\n    setNotificationPreference(input: $input) { channelId kinds }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CollaborationHealth($from: DateTime!, $to: DateTime!) {\n    byDepartment: collaborationHealth(from: $from, to: $to, groupBy: DEPARTMENT) { ...CollabRow }\n    byKind: collaborationHealth(from: $from, to: $to, groupBy: KIND) { ...CollabRow }\n  }\n"): (typeof documents)["\n  query CollaborationHealth($from: DateTime!, $to: DateTime!) {\n    byDepartment: collaborationHealth(from: $from, to: $to, groupBy: DEPARTMENT) { ...CollabRow }\n    byKind: collaborationHealth(from: $from, to: $to, groupBy: KIND) { ...CollabRow }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CollabRow on CollaborationHealthRow {\n    group\n    tickets\n    respondedTickets\n    averageFirstResponseMinutes\n    p90FirstResponseMinutes\n    slaAttainment\n    slaDecidedTickets\n    slaMetTickets\n    overdueNow\n    deliveredTickets\n    reworkedTickets\n    reworkRate\n    acceptedTickets\n    firstPassAcceptanceRate\n    ratedTickets\n    averageSatisfaction\n  }\n"): (typeof documents)["\n  fragment CollabRow on CollaborationHealthRow {\n    group\n    tickets\n    respondedTickets\n    averageFirstResponseMinutes\n    p90FirstResponseMinutes\n    slaAttainment\n    slaDecidedTickets\n    slaMetTickets\n    overdueNow\n    deliveredTickets\n    reworkedTickets\n    reworkRate\n    acceptedTickets\n    firstPassAcceptanceRate\n    ratedTickets\n    averageSatisfaction\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerSearch($search: String, $first: Int!, $after: String) {\n    customers(filter: { search: $search }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id name creditCode industry region contacts { id name title decisionRole } }\n    }\n  }\n"): (typeof documents)["\n  query CustomerSearch($search: String, $first: Int!, $after: String) {\n    customers(filter: { search: $search }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id name creditCode industry region contacts { id name title decisionRole } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Customer($id: ID!) {\n    customer(id: $id) {\n      id\n      name\n      creditCode\n      industry\n      region\n      size\n      owner { id name }\n      contacts { id name title phone email decisionRole }\n      deals(first: 50) { totalCount nodes { ...DealCard } }\n      timeline(last: 100) { totalCount nodes { ...TimelineItem } }\n    }\n  }\n"): (typeof documents)["\n  query Customer($id: ID!) {\n    customer(id: $id) {\n      id\n      name\n      creditCode\n      industry\n      region\n      size\n      owner { id name }\n      contacts { id name title phone email decisionRole }\n      deals(first: 50) { totalCount nodes { ...DealCard } }\n      timeline(last: 100) { totalCount nodes { ...TimelineItem } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateCustomer($input: CreateCustomerInput!) {\n    createCustomer(input: $input) { id name }\n  }\n"): (typeof documents)["\n  mutation CreateCustomer($input: CreateCustomerInput!) {\n    createCustomer(input: $input) { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateContact($input: CreateContactInput!) {\n    createContact(input: $input) { id name customerId }\n  }\n"): (typeof documents)["\n  mutation CreateContact($input: CreateContactInput!) {\n    createContact(input: $input) { id name customerId }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DealCard on Deal {\n    id\n    title\n    stage\n    stageDetails { key name kind }\n    customer { id name }\n    owner { id name }\n    amount { amount currency }\n    nextFollowUpAt\n    dwellHours\n    lastActivityAt\n  }\n"): (typeof documents)["\n  fragment DealCard on Deal {\n    id\n    title\n    stage\n    stageDetails { key name kind }\n    customer { id name }\n    owner { id name }\n    amount { amount currency }\n    nextFollowUpAt\n    dwellHours\n    lastActivityAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TimelineItem on TimelineEvent {\n    __typename\n    ... on Activity {\n      id\n      kind\n      text\n      occurredAt\n      nextFollowUpAt\n      dealId\n      author { name }\n      contact { name }\n    }\n    ... on StageTransition {\n      id\n      fromStage\n      toStage\n      at\n      backward\n      forwardSkips\n      coreNeed\n      decisionRole\n      nextFollowUpAt\n      lostReason\n      by { name }\n    }\n    ... on DealReassignment {\n      id\n      at\n      fromOwner { name }\n      toOwner { name }\n      by { name }\n    }\n  }\n"): (typeof documents)["\n  fragment TimelineItem on TimelineEvent {\n    __typename\n    ... on Activity {\n      id\n      kind\n      text\n      occurredAt\n      nextFollowUpAt\n      dealId\n      author { name }\n      contact { name }\n    }\n    ... on StageTransition {\n      id\n      fromStage\n      toStage\n      at\n      backward\n      forwardSkips\n      coreNeed\n      decisionRole\n      nextFollowUpAt\n      lostReason\n      by { name }\n    }\n    ... on DealReassignment {\n      id\n      at\n      fromOwner { name }\n      toOwner { name }\n      by { name }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Stages {\n    stages { key name position kind probability gateFields stuckAfterHours }\n  }\n"): (typeof documents)["\n  query Stages {\n    stages { key name position kind probability gateFields stuckAfterHours }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DealsPage($filter: DealFilterInput, $first: Int!, $after: String) {\n    deals(filter: $filter, first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { ...DealCard } }\n    }\n  }\n"): (typeof documents)["\n  query DealsPage($filter: DealFilterInput, $first: Int!, $after: String) {\n    deals(filter: $filter, first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { ...DealCard } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Deal($id: ID!) {\n    deal(id: $id) {\n      ...DealCard\n      productLine\n      expectedCloseDate\n      source\n      coreNeed\n      decisionRole\n      contact { id name title }\n      enteredStageAt\n      createdAt\n      customer { id name contacts { id name title decisionRole } }\n      stageDwells { stage hours visits }\n      forwardSkips\n      backwardMoves\n      timeline(last: 100) { totalCount nodes { ...TimelineItem } }\n    }\n  }\n"): (typeof documents)["\n  query Deal($id: ID!) {\n    deal(id: $id) {\n      ...DealCard\n      productLine\n      expectedCloseDate\n      source\n      coreNeed\n      decisionRole\n      contact { id name title }\n      enteredStageAt\n      createdAt\n      customer { id name contacts { id name title decisionRole } }\n      stageDwells { stage hours visits }\n      forwardSkips\n      backwardMoves\n      timeline(last: 100) { totalCount nodes { ...TimelineItem } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MoveDealStage($input: MoveDealStageInput!) {\n    moveDealStage(input: $input) { id stage }\n  }\n"): (typeof documents)["\n  mutation MoveDealStage($input: MoveDealStageInput!) {\n    moveDealStage(input: $input) { id stage }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateDeal($input: CreateDealInput!) {\n    createDeal(input: $input) { id title }\n  }\n"): (typeof documents)["\n  mutation CreateDeal($input: CreateDealInput!) {\n    createDeal(input: $input) { id title }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StageCount($stage: String!) {\n    deals(filter: { stage: $stage }, first: 0) { totalCount }\n  }\n"): (typeof documents)["\n  query StageCount($stage: String!) {\n    deals(filter: { stage: $stage }, first: 0) { totalCount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment FunnelFigures on FunnelHealth {\n    userId\n    from\n    to\n    asOf\n    user { id name }\n    team { id name }\n    stageDwell { stage averageHours teamMedianHours exits }\n    forwardSkips { value teamMedian }\n    backwardMoves { value teamMedian }\n    stuckDeals { value teamMedian }\n    overdueFollowUps { value teamMedian }\n    conversion { fromStage toStage entered advanced rate teamMedianRate }\n  }\n"): (typeof documents)["\n  fragment FunnelFigures on FunnelHealth {\n    userId\n    from\n    to\n    asOf\n    user { id name }\n    team { id name }\n    stageDwell { stage averageHours teamMedianHours exits }\n    forwardSkips { value teamMedian }\n    backwardMoves { value teamMedian }\n    stuckDeals { value teamMedian }\n    overdueFollowUps { value teamMedian }\n    conversion { fromStage toStage entered advanced rate teamMedianRate }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FunnelHealth($userId: ID!, $from: DateTime!, $to: DateTime!) {\n    funnelHealth(userId: $userId, from: $from, to: $to) { ...FunnelFigures }\n  }\n"): (typeof documents)["\n  query FunnelHealth($userId: ID!, $from: DateTime!, $to: DateTime!) {\n    funnelHealth(userId: $userId, from: $from, to: $to) { ...FunnelFigures }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query People {\n    users { id name role active team { id } manager { id } }\n    teams { id name manager { id } }\n  }\n"): (typeof documents)["\n  query People {\n    users { id name role active team { id } manager { id } }\n    teams { id name manager { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RepSummary($userId: ID!, $from: DateTime!, $to: DateTime!) {\n    funnelHealth(userId: $userId, from: $from, to: $to) { ...FunnelFigures }\n    stuck: deals(filter: { ownerId: $userId, stuck: true }, first: 10) {\n      totalCount\n      nodes { ...DealCard }\n    }\n  }\n"): (typeof documents)["\n  query RepSummary($userId: ID!, $from: DateTime!, $to: DateTime!) {\n    funnelHealth(userId: $userId, from: $from, to: $to) { ...FunnelFigures }\n    stuck: deals(filter: { ownerId: $userId, stuck: true }, first: 10) {\n      totalCount\n      nodes { ...DealCard }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ReceivableFields on Receivable {\n    id\n    contractId\n    customerId\n    dueDate\n    amount { amount currency }\n    paid { amount currency }\n    outstanding { amount currency }\n    fullyPaidOn\n    daysOverdue\n  }\n"): (typeof documents)["\n  fragment ReceivableFields on Receivable {\n    id\n    contractId\n    customerId\n    dueDate\n    amount { amount currency }\n    paid { amount currency }\n    outstanding { amount currency }\n    fullyPaidOn\n    daysOverdue\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Contract($id: ID!) {\n    contract(id: $id) {\n      id\n      dealId\n      customerId\n      amount { amount currency }\n      paymentTermsDays\n      signedAt\n      instalments { dueDate amount { amount currency } }\n      status\n      legalReviewRequired\n      legalConfirmedAt\n      paymentCheck { passed reasons checkedAt }\n      registryStatus\n      rejectionReason\n      documents { id kind periodMonth fileName contentType sizeBytes downloadUrl uploadedAt }\n      receivables { ...ReceivableFields }\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query Contract($id: ID!) {\n    contract(id: $id) {\n      id\n      dealId\n      customerId\n      amount { amount currency }\n      paymentTermsDays\n      signedAt\n      instalments { dueDate amount { amount currency } }\n      status\n      legalReviewRequired\n      legalConfirmedAt\n      paymentCheck { passed reasons checkedAt }\n      registryStatus\n      rejectionReason\n      documents { id kind periodMonth fileName contentType sizeBytes downloadUrl uploadedAt }\n      receivables { ...ReceivableFields }\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DealContracts($id: ID!) {\n    deal(id: $id) {\n      id\n      stage\n      amount { amount currency }\n      contracts { id status amount { amount currency } createdAt }\n    }\n  }\n"): (typeof documents)["\n  query DealContracts($id: ID!) {\n    deal(id: $id) {\n      id\n      stage\n      amount { amount currency }\n      contracts { id status amount { amount currency } createdAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerRisk($id: ID!) {\n    customer(id: $id) {\n      id\n      riskTier\n      riskHistory { from to reasons at }\n      receivables { ...ReceivableFields }\n      onTimeRate\n      overdueAmount { amount currency }\n    }\n  }\n"): (typeof documents)["\n  query CustomerRisk($id: ID!) {\n    customer(id: $id) {\n      id\n      riskTier\n      riskHistory { from to reasons at }\n      receivables { ...ReceivableFields }\n      onTimeRate\n      overdueAmount { amount currency }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CollectionForecast($filter: CollectionForecastFilter, $first: Int) {\n    collectionForecast(filter: $filter, first: $first) {\n      receivable { ...ReceivableFields }\n      customer { id name riskTier }\n      owner { id name }\n      predictedPaymentDate\n      likelyLate\n      expectedDaysLate\n      warningDate\n    }\n  }\n"): (typeof documents)["\n  query CollectionForecast($filter: CollectionForecastFilter, $first: Int) {\n    collectionForecast(filter: $filter, first: $first) {\n      receivable { ...ReceivableFields }\n      customer { id name riskTier }\n      owner { id name }\n      predictedPaymentDate\n      likelyLate\n      expectedDaysLate\n      warningDate\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RiskCenter {\n    riskCenter {\n      customer { id name overdueAmount { amount currency } }\n      tier\n      litigation\n      servicesSuspended\n      reasons\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  query RiskCenter {\n    riskCenter {\n      customer { id name overdueAmount { amount currency } }\n      tier\n      litigation\n      servicesSuspended\n      reasons\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateContract($input: CreateContractInput!) {\n    createContract(input: $input) { id status }\n  }\n"): (typeof documents)["\n  mutation CreateContract($input: CreateContractInput!) {\n    createContract(input: $input) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunPaymentCheck($contractId: ID!) {\n    runPaymentCheck(contractId: $contractId) { passed reasons checkedAt }\n  }\n"): (typeof documents)["\n  mutation RunPaymentCheck($contractId: ID!) {\n    runPaymentCheck(contractId: $contractId) { passed reasons checkedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubmitContract($id: ID!) {\n    submitContract(id: $id) { id status }\n  }\n"): (typeof documents)["\n  mutation SubmitContract($id: ID!) {\n    submitContract(id: $id) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApproveContract($id: ID!) {\n    approveContract(id: $id) { id status }\n  }\n"): (typeof documents)["\n  mutation ApproveContract($id: ID!) {\n    approveContract(id: $id) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RejectContract($id: ID!, $reason: String!) {\n    rejectContract(id: $id, reason: $reason) { id status }\n  }\n"): (typeof documents)["\n  mutation RejectContract($id: ID!, $reason: String!) {\n    rejectContract(id: $id, reason: $reason) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmContractLegal($id: ID!) {\n    confirmContractLegal(id: $id) { id status legalConfirmedAt }\n  }\n"): (typeof documents)["\n  mutation ConfirmContractLegal($id: ID!) {\n    confirmContractLegal(id: $id) { id status legalConfirmedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordPayment($input: RecordPaymentInput!) {\n    recordPayment(input: $input) { ...ReceivableFields }\n  }\n"): (typeof documents)["\n  mutation RecordPayment($input: RecordPaymentInput!) {\n    recordPayment(input: $input) { ...ReceivableFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FlagLitigation($customerId: ID!, $note: String!) {\n    flagLitigation(customerId: $customerId, note: $note)\n  }\n"): (typeof documents)["\n  mutation FlagLitigation($customerId: ID!, $note: String!) {\n    flagLitigation(customerId: $customerId, note: $note)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TicketCard on Ticket {\n    id\n    number\n    kind\n    requirementType\n    status\n    color\n    dueAt\n    remainingMinutes\n    slaMinutes\n    calendarTime\n    title\n    department\n    reworkCount\n    assignee { id name }\n    requester { id name }\n    deal { id title }\n    createdAt\n    closedAt\n  }\n"): (typeof documents)["\n  fragment TicketCard on Ticket {\n    id\n    number\n    kind\n    requirementType\n    status\n    color\n    dueAt\n    remainingMinutes\n    slaMinutes\n    calendarTime\n    title\n    department\n    reworkCount\n    assignee { id name }\n    requester { id name }\n    deal { id title }\n    createdAt\n    closedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Tickets($filter: TicketFilterInput, $first: Int) {\n    tickets(filter: $filter, first: $first) {\n      totalCount\n      nodes { ...TicketCard }\n    }\n  }\n"): (typeof documents)["\n  query Tickets($filter: TicketFilterInput, $first: Int) {\n    tickets(filter: $filter, first: $first) {\n      totalCount\n      nodes { ...TicketCard }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Ticket($id: ID!) {\n    ticket(id: $id) {\n      ...TicketCard\n      details\n      rating\n      firstResponseAt\n      history { action fromStatus toStatus actor { id name } note rating at }\n    }\n  }\n"): (typeof documents)["\n  query Ticket($id: ID!) {\n    ticket(id: $id) {\n      ...TicketCard\n      details\n      rating\n      firstResponseAt\n      history { action fromStatus toStatus actor { id name } note rating at }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateTicket($input: CreateTicketInput!) {\n    createTicket(input: $input) { ...TicketCard }\n  }\n"): (typeof documents)["\n  mutation CreateTicket($input: CreateTicketInput!) {\n    createTicket(input: $input) { ...TicketCard }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartTicket($id: ID!) {\n    startTicket(id: $id) { ...TicketCard }\n  }\n"): (typeof documents)["\n  mutation StartTicket($id: ID!) {\n    startTicket(id: $id) { ...TicketCard }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeliverTicket($id: ID!, $note: String) {\n    deliverTicket(id: $id, note: $note) { ...TicketCard }\n  }\n"): (typeof documents)["\n  mutation DeliverTicket($id: ID!, $note: String) {\n    deliverTicket(id: $id, note: $note) { ...TicketCard }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptTicket($id: ID!, $rating: Int!) {\n    acceptTicket(id: $id, rating: $rating) { ...TicketCard }\n  }\n"): (typeof documents)["\n  mutation AcceptTicket($id: ID!, $rating: Int!) {\n    acceptTicket(id: $id, rating: $rating) { ...TicketCard }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RejectTicket($id: ID!, $reason: String!) {\n    rejectTicket(id: $id, reason: $reason) { ...TicketCard }\n  }\n"): (typeof documents)["\n  mutation RejectTicket($id: ID!, $reason: String!) {\n    rejectTicket(id: $id, reason: $reason) { ...TicketCard }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BlockTicket($id: ID!, $reason: String!) {\n    blockTicket(id: $id, reason: $reason) { ...TicketCard }\n  }\n"): (typeof documents)["\n  mutation BlockTicket($id: ID!, $reason: String!) {\n    blockTicket(id: $id, reason: $reason) { ...TicketCard }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnblockTicket($id: ID!) {\n    unblockTicket(id: $id) { ...TicketCard }\n  }\n"): (typeof documents)["\n  mutation UnblockTicket($id: ID!) {\n    unblockTicket(id: $id) { ...TicketCard }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Today($me: ID!, $dueBefore: DateTime!) {\n    due: deals(filter: { open: true, ownerId: $me, followUpDueBefore: $dueBefore }, first: 50) {\n      totalCount\n      nodes { ...DealCard }\n    }\n    stuck: deals(filter: { open: true, ownerId: $me, stuck: true }, first: 20) {\n      totalCount\n      nodes { ...DealCard }\n    }\n    open: deals(filter: { open: true, ownerId: $me }, first: 20, orderBy: { field: UPDATED_AT, direction: DESC }) {\n      totalCount\n      nodes { ...DealCard }\n    }\n  }\n"): (typeof documents)["\n  query Today($me: ID!, $dueBefore: DateTime!) {\n    due: deals(filter: { open: true, ownerId: $me, followUpDueBefore: $dueBefore }, first: 50) {\n      totalCount\n      nodes { ...DealCard }\n    }\n    stuck: deals(filter: { open: true, ownerId: $me, stuck: true }, first: 20) {\n      totalCount\n      nodes { ...DealCard }\n    }\n    open: deals(filter: { open: true, ownerId: $me }, first: 20, orderBy: { field: UPDATED_AT, direction: DESC }) {\n      totalCount\n      nodes { ...DealCard }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;