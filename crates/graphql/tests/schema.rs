//! The published contract must match the code: run `make schema` after changing the API.

#[test]
fn committed_schema_matches_the_code() {
    let committed = include_str!("../../../schema.graphql");
    let generated = dealdesk_graphql::sdl();
    assert!(
        committed == generated,
        "schema.graphql is out of date: run `make schema` and commit the result"
    );
}
