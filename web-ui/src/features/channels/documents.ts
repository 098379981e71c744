import { graphql } from '../../gql';

export const ChannelItemFragment = graphql(`
  fragment ChannelItem on Channel { id kind name target hasSecret events createdAt }
`);

export const ChannelsQuery = graphql(`
  query Channels {
    channels { ...ChannelItem }
  }
`);

export const AddChannelMutation = graphql(`
  mutation AddChannel($input: AddChannelInput!) {
    addChannel(input: $input) { ...ChannelItem }
  }
`);

export const RemoveChannelMutation = graphql(`
  mutation RemoveChannel($id: ID!) {
    removeChannel(id: $id)
  }
`);

export const DeliveryItemFragment = graphql(`
  fragment DeliveryItem on Delivery {
    id
    channelId
    event
    title
    status
    attempts
    lastError
    nextAttemptAt
    createdAt
    sentAt
    attemptLog { attempt outcome detail at }
  }
`);

export const TestChannelMutation = graphql(`
  mutation TestChannel($id: ID!) {
    testChannel(id: $id) { ...DeliveryItem }
  }
`);

export const DeliveriesQuery = graphql(`
  query Deliveries($filter: DeliveryFilterInput, $first: Int) {
    deliveries(filter: $filter, first: $first) {
      totalCount
      nodes { ...DeliveryItem }
    }
  }
`);

export const RedriveDeliveryMutation = graphql(`
  mutation RedriveDelivery($id: ID!) {
    redriveDelivery(id: $id) { ...DeliveryItem }
  }
`);

export const NotificationPreferencesQuery = graphql(`
  query NotificationPreferences {
    notificationPreferences { channelId kinds }
  }
`);

export const SetNotificationPreferenceMutation = graphql(`
  mutation SetNotificationPreference($input: NotificationPreferenceInput!) {
    setNotificationPreference(input: $input) { channelId kinds }
  }
`);
