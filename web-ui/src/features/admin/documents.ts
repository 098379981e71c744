import { graphql } from '../../gql';

export const UpdateStageMutation = graphql(`
  mutation UpdateStage($input: UpdateStageInput!) {
    updateStage(input: $input) { key name gateFields stuckAfterHours probability }
  }
`);

export const BusinessCalendarFragment = graphql(`
  fragment BusinessCalendarFields on BusinessCalendar {
    timeZone
    workdays
    workStart
    workEnd
    lunchStart
    lunchEnd
    holidays
    extraWorkdays
  }
`);

export const BusinessCalendarQuery = graphql(`
  query BusinessCalendar {
    businessCalendar { ...BusinessCalendarFields }
  }
`);

export const SetBusinessCalendarMutation = graphql(`
  mutation SetBusinessCalendar($input: BusinessCalendarInput!) {
    setBusinessCalendar(input: $input) { ...BusinessCalendarFields }
  }
`);

export const ImportHolidaysMutation = graphql(`
  mutation ImportHolidays($schedule: String!) {
    importHolidays(schedule: $schedule) { ...BusinessCalendarFields }
  }
`);

export const SlaPoliciesQuery = graphql(`
  query SlaPolicies {
    slaPolicies { kind requirementType minutes calendarTime routeRole }
  }
`);

export const UpdateSlaPolicyMutation = graphql(`
  mutation UpdateSlaPolicy($input: UpdateSlaPolicyInput!) {
    updateSlaPolicy(input: $input) { kind requirementType minutes calendarTime routeRole }
  }
`);
