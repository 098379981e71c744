/** Kinds of activity. */
export type ActivityKindValue =
  | 'CALL'
  | 'CHAT'
  | 'EMAIL'
  | 'MEETING'
  | 'NOTE'
  | 'VISIT';

/** Input of `addChannel`. */
export type AddChannelInput = {
  /** Events to receive; omit for all. */
  events?: Array<string> | null | undefined;
  kind: ChannelKindValue;
  name?: string | null | undefined;
  /** DingTalk robot secret or webhook signing key (at least 8 characters). */
  secret?: string | null | undefined;
  /** Robot or webhook URL, or comma-separated email addresses. */
  target: string;
};

/** Filter of `alerts`. */
export type AlertFilterInput = {
  kind?: AlertKindValue | null | undefined;
  status?: AlertStatus | null | undefined;
  /** The deal or user the alerts are about. */
  subjectId?: string | number | null | undefined;
};

/** Alert kinds (API.md). */
export type AlertKindValue =
  | 'COLLECTION_WARNING'
  | 'DATA_QUALITY'
  | 'FOLLOW_UP_OVERDUE'
  | 'NEWCOMER_STUCK'
  | 'PING_PONG'
  | 'RISK_TIER_CHANGED'
  | 'SLA_BREACHED'
  | 'SLA_WARNING'
  | 'STAGE_STUCK';

/** Life-cycle of an alert (E5). */
export type AlertStatus =
  /** Seen by a recipient; the condition still holds. */
  | 'ACKNOWLEDGED'
  /** Raised, not yet seen. */
  | 'OPEN'
  /** The condition cleared. */
  | 'RESOLVED';

/** Input of `setBusinessCalendar`. */
export type BusinessCalendarInput = {
  /** Make-up working days (调休). */
  extraWorkdays?: Array<string>;
  holidays?: Array<string>;
  lunchEnd?: string | null | undefined;
  lunchStart?: string | null | undefined;
  timeZone: string;
  workEnd?: string;
  workStart?: string;
  workdays: Array<WeekdayValue>;
};

/** Kinds of channel (I1–I4). */
export type ChannelKindValue =
  | 'DINGTALK'
  | 'EMAIL'
  | 'WEBHOOK'
  | 'WECOM';

/** Filters of `collectionForecast`; all optional and combined with AND. */
export type CollectionForecastFilter = {
  /** Only this customer's receivables. */
  customerId?: string | number | null | undefined;
  /** Only receivables predicted after (true) or not after (false) their due date. */
  likelyLate?: boolean | null | undefined;
  /** Only receivables of deals this user owns. */
  ownerId?: string | number | null | undefined;
};

/** Input of `createContact`. */
export type CreateContactInput = {
  customerId: string | number;
  decisionRole?: DecisionRoleValue | null | undefined;
  email?: string | null | undefined;
  name: string;
  phone?: string | null | undefined;
  title?: string | null | undefined;
};

/** Input of `createContract`. */
export type CreateContractInput = {
  amount: MoneyInput;
  dealId: string | number;
  /** Must sum to `amount`. */
  instalments: Array<InstalmentInput>;
  /** The payment terms need legal review (routes the contract to LEGAL before approval). */
  legalReview?: boolean;
  paymentTermsDays: number;
  signedAt?: string | null | undefined;
};

/** Input of `createCustomer`. */
export type CreateCustomerInput = {
  /** Unified social credit code (18 characters, check digit verified). */
  creditCode?: string | null | undefined;
  industry?: string | null | undefined;
  name: string;
  region?: string | null | undefined;
  size?: string | null | undefined;
};

/** Input of `createDeal`. */
export type CreateDealInput = {
  amount?: MoneyInput | null | undefined;
  customerId: string | number;
  expectedCloseDate?: string | null | undefined;
  /** Defaults to the caller. */
  ownerId?: string | number | null | undefined;
  productLine?: string | null | undefined;
  source?: string | null | undefined;
  title: string;
};

/** Input of `createTicket`. */
export type CreateTicketInput = {
  /** Omit to route to the department's queue. */
  assigneeId?: string | number | null | undefined;
  dealId?: string | number | null | undefined;
  details?: string | null | undefined;
  kind: TicketKindValue;
  /** Required for REQUIREMENT tickets. */
  requirementType?: RequirementTypeValue | null | undefined;
  title: string;
};

/** Filter of `deals`. */
export type DealFilterInput = {
  customerId?: string | number | null | undefined;
  /** Only deals whose next follow-up is due at or before this time (e.g. "due today"). */
  followUpDueBefore?: string | null | undefined;
  /** The customer's industry. */
  industry?: string | null | undefined;
  /** Only open deals (true) or only won/lost ones (false). */
  open?: boolean | null | undefined;
  ownerId?: string | number | null | undefined;
  productLine?: string | null | undefined;
  /** The customer's region. */
  region?: string | null | undefined;
  /** Part of the title. */
  search?: string | null | undefined;
  stage?: string | null | undefined;
  /** Only deals past their stage's stuck threshold without activity (or only those not). */
  stuck?: boolean | null | undefined;
};

/** Decision-chain roles (决策链角色). */
export type DecisionRoleValue =
  | 'CHAMPION'
  | 'DECISION_MAKER'
  | 'GATEKEEPER'
  | 'INFLUENCER'
  | 'USER';

/** Filter of `deliveries`. */
export type DeliveryFilterInput = {
  channelId?: string | number | null | undefined;
  status?: DeliveryStatus | null | undefined;
};

/** Delivery states of an outbox message. */
export type DeliveryStatus =
  /** Given up on (re-drivable by an admin). */
  | 'DEAD'
  /** Waiting for its first or next attempt. */
  | 'PENDING'
  /** Delivered. */
  | 'SENT';

/** Kinds of contract document. */
export type DocumentKindValue =
  | 'BANK_STATEMENT'
  | 'CREDIT_PROOF'
  | 'OTHER'
  | 'SIGNED_CONTRACT';

/**
 * The rule a bad import row breaks. New rules get new values: show the
 * error's `message` for a value you do not know.
 */
export type ImportErrorCode =
  /** The receivable is already paid in full (earlier rows of the file counted). */
  | 'ALREADY_PAID'
  /** The amount is not a decimal with at most two places, is negative, or is too large. */
  | 'AMOUNT_INVALID'
  /** The amount is zero. */
  | 'AMOUNT_NOT_POSITIVE'
  /** The amount is more than the receivable's outstanding amount (`outstanding`). */
  | 'AMOUNT_OVER_OUTSTANDING'
  /** The amount cell is blank. */
  | 'AMOUNT_REQUIRED'
  /** The currency cell is not a three-letter code. */
  | 'CURRENCY_INVALID'
  /** The currency is not the receivable's (`outstanding` is in the receivable's currency). */
  | 'CURRENCY_MISMATCH'
  /** A rule without a code of its own; `message` says which. */
  | 'OTHER'
  /** The paid date is not a date in a spelling the import reads (2025-01-31, 2025/1/31, 2025.01.31, 20250131, 2025年1月31日). */
  | 'PAID_AT_INVALID'
  /** The paid date is after today. */
  | 'PAID_AT_IN_FUTURE'
  /** The paid date cell is blank. */
  | 'PAID_AT_REQUIRED'
  /** No receivable of the organization has that id (or it is not an id at all). */
  | 'RECEIVABLE_NOT_FOUND'
  /** The receivable id cell is blank. */
  | 'RECEIVABLE_REQUIRED';

/** One instalment as input. */
export type InstalmentInput = {
  amount: MoneyInput;
  dueDate: string;
};

/** Input of `logActivity`. */
export type LogActivityInput = {
  backdateReason?: string | null | undefined;
  contactId?: string | number | null | undefined;
  customerId?: string | number | null | undefined;
  dealId?: string | number | null | undefined;
  kind: ActivityKindValue;
  /** Sets the deal's next follow-up; must be in the future. */
  nextFollowUpAt?: string | null | undefined;
  /** Defaults to now; more than 24 h ago needs `backdateReason`. */
  occurredAt?: string | null | undefined;
  text: string;
};

/** Money as input: a decimal string and a currency. */
export type MoneyInput = {
  /** Decimal amount with at most two places, e.g. "680000" or "1200.50". */
  amount: string;
  currency?: string;
};

/** Input of `moveDealStage`: the target stage and the facts its gate asks for. */
export type MoveDealStageInput = {
  amount?: MoneyInput | null | undefined;
  contactId?: string | number | null | undefined;
  /** The customer's core need in this conversation (本次沟通核心诉求). */
  coreNeed?: string | null | undefined;
  dealId: string | number;
  /** The contact's role in the decision chain. */
  decisionRole?: DecisionRoleValue | null | undefined;
  lostReason?: string | null | undefined;
  /** Must be in the future. */
  nextFollowUpAt?: string | null | undefined;
  /** The target stage's key. */
  stage: string;
};

/** Input of `setNotificationPreference`. */
export type NotificationPreferenceInput = {
  channelId: string | number;
  /** Alert kinds to receive through the channel (empty: none). */
  kinds: Array<AlertKindValue>;
};

/** Input of `recordPayment`. */
export type RecordPaymentInput = {
  amount: MoneyInput;
  /** The day the money arrived. */
  paidAt: string;
  receivableId: string | number;
};

/** Requirement types (新增需求), routed to a department. */
export type RequirementTypeValue =
  | 'CUSTOM_DEVELOPMENT'
  | 'PRODUCT_FEATURE'
  | 'SERVICE_UPGRADE';

/** Red / yellow / blue (R4). */
export type RiskTierValue =
  | 'BLUE'
  | 'RED'
  | 'YELLOW';

/** Roles (S2). */
export type Role =
  | 'ADMIN'
  | 'DELIVERY'
  | 'FINANCE'
  | 'LEGAL'
  | 'MANAGER'
  | 'MARKETING'
  | 'REP'
  | 'TECH';

/** The three SLA colours. */
export type SlaColorValue =
  | 'GREEN'
  | 'RED'
  | 'YELLOW';

/** Kinds of stage. */
export type StageKindValue =
  | 'LOST'
  | 'OPEN'
  | 'WON';

/** Filter of `tickets`. */
export type TicketFilterInput = {
  assigneeId?: string | number | null | undefined;
  color?: SlaColorValue | null | undefined;
  dealId?: string | number | null | undefined;
  kind?: TicketKindValue | null | undefined;
  requesterId?: string | number | null | undefined;
  /** MY_QUEUE, MY_REQUESTS or ALL (default). */
  scope?: TicketScopeValue | null | undefined;
  status?: TicketStatusValue | null | undefined;
};

/** Ticket kinds (C3). */
export type TicketKindValue =
  | 'DELIVERY_CONFIRMATION'
  | 'HANDOFF'
  /** R4 red: legal takes over. */
  | 'LEGAL_CASE'
  /** R4 yellow: the owner's overdue-cause analysis. */
  | 'OVERDUE_ANALYSIS'
  | 'REQUIREMENT'
  | 'TECH_ASSESSMENT';

/** Which tickets a list shows. */
export type TicketScopeValue =
  /** Everything the caller may see. */
  | 'ALL'
  /** Assigned to me, or unassigned in my department's queue. */
  | 'MY_QUEUE'
  /** Raised by me. */
  | 'MY_REQUESTS';

/** Ticket statuses (C4). */
export type TicketStatusValue =
  | 'ACCEPTED'
  | 'BLOCKED'
  | 'DELIVERED'
  | 'IN_PROGRESS'
  | 'OPEN';

/** Input of `updateAlertRule`: only the settings that apply to the kind. */
export type UpdateAlertRuleInput = {
  enabled?: boolean | null | undefined;
  escalateAfterHours?: number | null | undefined;
  kind: AlertKindValue;
  reassignments?: number | null | undefined;
  stuckDeals?: number | null | undefined;
  windowDays?: number | null | undefined;
  withinDays?: number | null | undefined;
};

/** Input of `updateRiskThresholds`: a field left out keeps its current value. */
export type UpdateRiskThresholdsInput = {
  /** 1–3660 days. */
  cumulativeWindowDays?: number | null | undefined;
  /** Percent as a decimal string with at most two places, greater than 0 and at most 100, e.g. "95". */
  onTimeRatePercent?: string | null | undefined;
  /** 0–3660; RED when the cumulative overdue days exceed it. */
  redCumulativeOverdueDays?: number | null | undefined;
  /** Percent as a decimal string with at most two places, greater than 0 and at most 100, e.g. "10" or "7.5". */
  redOverdueSharePercent?: string | null | undefined;
  /** 1–120 calendar months. */
  windowMonths?: number | null | undefined;
};

/** Input of `updateSlaPolicy`. */
export type UpdateSlaPolicyInput = {
  calendarTime?: boolean | null | undefined;
  kind: TicketKindValue;
  minutes?: number | null | undefined;
  requirementType?: RequirementTypeValue | null | undefined;
  routeRole?: Role | null | undefined;
};

/** Input of `updateStage`. */
export type UpdateStageInput = {
  /** Input field names of `moveDealStage` required to enter the stage. */
  gateFields?: Array<string> | null | undefined;
  key: string;
  name?: string | null | undefined;
  probability?: number | null | undefined;
  stuckAfterHours?: number | null | undefined;
};

/** Days of the week. */
export type WeekdayValue =
  | 'FRI'
  | 'MON'
  | 'SAT'
  | 'SUN'
  | 'THU'
  | 'TUE'
  | 'WED';
