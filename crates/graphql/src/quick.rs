//! Objects whose fields are resolved in place, without a future per field.
//!
//! async-graphql resolves an object by boxing one future per selected
//! field and driving them through a `FuturesUnordered` (a reference-counted
//! task per field). On the deal list, fifty deals each with an owner and a
//! customer, that machinery was the larger part of a request's CPU time,
//! though almost every field only reads the record already in hand.
//!
//! An object that says which of its fields complete without waiting
//! ([`QuickFields`]) is resolved by [`Quick`]: each such field runs the
//! object's own resolver (the code async-graphql would run), polled once
//! in place; only the other fields are boxed, and they still run
//! concurrently, so loaders batch them as before. The response keeps the
//! selection's order; fragments, aliases, repeated fields and errors are
//! handled as async-graphql handles them (`tests` below compare the two
//! on the same objects; `tests/tests/api/projection.rs` compares every
//! field of a listed deal, resolved here, with the same deal read by
//! `deal(id)`, resolved by async-graphql, and asks for each field of the
//! deal's owner and customer, which would trip the debug assertion below
//! if one said to be quick waited).

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::task::{self, Poll, Waker};

use async_graphql::futures_util::future::{join_all, FutureExt};
use async_graphql::indexmap::map::Entry;
use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{Field, Selection, SelectionSet};
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::resolve_container;
use async_graphql::{ContainerType, ContextSelectionSet, Name, OutputType, Positioned, ServerError, ServerResult, Value};

/// An object some of whose fields' resolvers complete without waiting.
pub trait QuickFields: ContainerType + OutputType {
    /// Whether the resolver of `field` (its name in the schema) completes
    /// at its first poll: it reads only what the object holds, with no
    /// loader and no statement. Those fields are resolved in place; a
    /// field wrongly said to be quick is still resolved, a second time, as
    /// a future of its own.
    fn is_quick(&self, field: &str) -> bool;
}

/// `T` as a GraphQL output whose quick fields are resolved in place (the
/// same type in the schema as `T`).
pub struct Quick<T>(pub T);

impl<T: QuickFields> OutputType for Quick<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn qualified_type_name() -> String {
        T::qualified_type_name()
    }

    fn introspection_type_name(&self) -> Cow<'static, str> {
        self.0.introspection_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, _field: &Positioned<Field>) -> ServerResult<Value> {
        resolve(ctx, &self.0).await
    }
}

/// A field's future and the slot its value goes into.
type SlowField<'a> = Pin<Box<dyn Future<Output = (usize, ServerResult<Option<Value>>)> + Send + 'a>>;

/// Resolves `root`'s selection: quick fields in place, the others as
/// futures run together.
async fn resolve<'a, T: QuickFields>(ctx: &ContextSelectionSet<'a>, root: &'a T) -> ServerResult<Value> {
    // Custom directives wrap each field's future: leave them to
    // async-graphql (this schema has none). Extensions' per-field hooks
    // would not see quick fields; `build_schema` installs no extension.
    if !ctx.schema_env.custom_directives.is_empty() {
        return resolve_container(ctx, root).await;
    }
    let mut fields = Vec::new();
    collect(ctx, ctx.item, root, &mut fields)?;

    // Each field's value in selection order; `None` while a slow field
    // runs, or after it failed (its error is on the response).
    let mut values: Vec<(Name, Option<Value>)> = Vec::with_capacity(fields.len());
    let mut slow = Vec::new();
    for field in fields {
        let key = field.node.response_key().node.clone();
        let name = field.node.name.node.as_str();
        if name == "__typename" {
            values.push((key, Some(Value::String(root.introspection_type_name().into_owned()))));
            continue;
        }
        if root.is_quick(name) {
            if let Some(resolved) = root.resolve_field(&ctx.with_field(field)).now_or_never() {
                values.push((key, settle(ctx, resolved)));
                continue;
            }
            debug_assert!(false, "{}.{name} is said to be quick but waited", T::type_name());
            tracing::warn!(object = %T::type_name(), field = name, "a field said to be quick waited; resolved as a future");
        }
        // Boxed, as async-graphql boxes every field (an object may hold
        // itself further down: a deal's customer lists deals), and polled
        // once here: a nested object whose fields are all quick is done.
        let slot = values.len();
        let mut future: SlowField<'_> = Box::pin(async move { (slot, root.resolve_field(&ctx.with_field(field)).await) });
        match future.as_mut().poll(&mut task::Context::from_waker(Waker::noop())) {
            Poll::Ready((_, resolved)) => values.push((key, settle(ctx, resolved))),
            Poll::Pending => {
                values.push((key, None));
                slow.push(future);
            }
        }
    }
    // Polled again with this task's waker; loaders batch what they wait for.
    for (slot, resolved) in join_all(slow).await {
        values[slot].1 = settle(ctx, resolved);
    }

    let mut object = IndexMap::with_capacity(values.len());
    for (key, value) in values {
        if let Some(value) = value {
            merge(&mut object, key, value);
        }
    }
    // As async-graphql: an object none of whose fields resolved is null.
    Ok(if object.is_empty() { Value::Null } else { Value::Object(object) })
}

/// A resolved field's value, or `None` with its error added to the response.
fn settle(ctx: &ContextSelectionSet<'_>, resolved: ServerResult<Option<Value>>) -> Option<Value> {
    match resolved {
        Ok(value) => Some(value.unwrap_or_default()),
        Err(error) => {
            ctx.add_error(error);
            None
        }
    }
}

/// The fields `set` selects on `root`, fragments flattened: a fragment
/// applies when it has no type condition or names `root`'s type or an
/// interface it implements.
fn collect<'a, T: QuickFields>(
    ctx: &ContextSelectionSet<'a>,
    set: &'a Positioned<SelectionSet>,
    root: &T,
    fields: &mut Vec<&'a Positioned<Field>>,
) -> ServerResult<()> {
    for selection in &set.node.items {
        let (condition, inner) = match &selection.node {
            Selection::Field(field) => {
                fields.push(field);
                continue;
            }
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                let fragment = ctx
                    .query_env
                    .fragments
                    .get(name)
                    .ok_or_else(|| ServerError::new(format!(r#"Unknown fragment "{name}"."#), Some(spread.pos)))?;
                (Some(fragment.node.type_condition.node.on.node.as_str()), &fragment.node.selection_set)
            }
            Selection::InlineFragment(fragment) => {
                (fragment.node.type_condition.as_ref().map(|condition| condition.node.on.node.as_str()), &fragment.node.selection_set)
            }
        };
        let own = root.introspection_type_name();
        let applies = condition.is_none_or(|condition| {
            own == condition || ctx.schema_env.registry.implements.get(own.as_ref()).is_some_and(|interfaces| interfaces.contains(condition))
        });
        if applies {
            collect(ctx, inner, root, fields)?;
        }
    }
    Ok(())
}

/// Puts `value` under `key`, merging it into an object already there (a
/// field selected twice, say once directly and once in a fragment), as
/// async-graphql does.
fn merge(object: &mut IndexMap<Name, Value>, key: Name, value: Value) {
    let existing = match object.entry(key) {
        Entry::Vacant(vacant) => {
            vacant.insert(value);
            return;
        }
        Entry::Occupied(occupied) => occupied.into_mut(),
    };
    match (existing, value) {
        (Value::Object(existing), Value::Object(value)) => {
            for (key, value) in value {
                merge(existing, key, value);
            }
        }
        (Value::List(existing), Value::List(value)) => {
            for (existing, value) in existing.iter_mut().zip(value) {
                if let (Value::Object(existing), Value::Object(value)) = (existing, value) {
                    for (key, value) in value {
                        merge(existing, key, value);
                    }
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    //! The same queries against the same objects, resolved by async-graphql
    //! (`plain`) and by [`Quick`] (`quick`), must answer the same.

    use super::*;
    use async_graphql::{EmptyMutation, EmptySubscription, Interface, Object, Schema};
    use serde_json::json;

    #[derive(Clone)]
    struct Toy(i32);

    #[Object]
    impl Toy {
        async fn id(&self) -> i32 {
            self.0
        }
        async fn name(&self) -> String {
            format!("toy {}", self.0)
        }
        /// Waits before answering, as a loader does.
        async fn late(&self) -> i32 {
            tokio::task::yield_now().await;
            self.0 * 10
        }
        async fn failing(&self) -> async_graphql::Result<i32> {
            Err("no quick answer".into())
        }
        async fn late_failing(&self) -> async_graphql::Result<Option<i32>> {
            tokio::task::yield_now().await;
            Err("no late answer".into())
        }
        async fn child(&self) -> Quick<Toy> {
            Quick(Toy(self.0 + 100))
        }
    }

    impl QuickFields for Toy {
        fn is_quick(&self, field: &str) -> bool {
            matches!(field, "id" | "name" | "failing")
        }
    }

    #[derive(Interface)]
    #[graphql(field(name = "id", ty = "i32"))]
    #[allow(dead_code)]
    enum Node {
        Toy(Toy),
    }

    struct Root;

    #[Object]
    impl Root {
        async fn plain(&self, count: i32) -> Vec<Toy> {
            (1..=count).map(Toy).collect()
        }
        async fn quick(&self, count: i32) -> Vec<Quick<Toy>> {
            (1..=count).map(|id| Quick(Toy(id))).collect()
        }
    }

    async fn both(selection: &str, fragments: &str) -> serde_json::Value {
        let schema = Schema::build(Root, EmptyMutation, EmptySubscription).register_output_type::<Node>().finish();
        let run = |root: &str| {
            let query = format!("{{ {root}(count: 3) {selection} }} {fragments}");
            let schema = schema.clone();
            async move { serde_json::to_value(schema.execute(query).await).expect("a response serialises") }
        };
        let (plain, quick) = (run("plain").await, run("quick").await);
        let mut quick_as_plain = quick.clone();
        if let Some(data) = quick_as_plain.get_mut("data").and_then(|data| data.as_object_mut()) {
            let toys = data.remove("quick").expect("quick answered");
            data.insert("plain".into(), toys);
        }
        let renamed = serde_json::to_string(&quick_as_plain).expect("json").replace(r#""path":["quick""#, r#""path":["plain""#);
        // Errors come in the order fields finished, which the spec leaves open.
        let errors_sorted = |mut response: serde_json::Value| {
            if let Some(errors) = response.get_mut("errors").and_then(|errors| errors.as_array_mut()) {
                errors.sort_by_key(|error| error.to_string());
            }
            response
        };
        let renamed = errors_sorted(serde_json::from_str(&renamed).expect("json"));
        assert_eq!(renamed, errors_sorted(plain), "{selection} {fragments}");
        quick
    }

    #[tokio::test]
    async fn quick_and_slow_fields_answer_as_async_graphql_does_in_selection_order() {
        let quick = both("{ id name late __typename }", "").await;
        assert_eq!(quick["data"]["quick"][2], json!({ "id": 3, "name": "toy 3", "late": 30, "__typename": "Toy" }));
        let schema = Schema::build(Root, EmptyMutation, EmptySubscription).register_output_type::<Node>().finish();
        let response = schema.execute("{ quick(count: 1) { id late child { name id } name __typename } }").await;
        let keys = |value: &Value| match value {
            Value::Object(object) => object.keys().map(Name::to_string).collect::<Vec<_>>(),
            other => panic!("not an object: {other}"),
        };
        let Value::Object(data) = &response.data else { panic!("no data: {response:?}") };
        let Some(Value::List(toys)) = data.get("quick") else { panic!("no list: {response:?}") };
        assert_eq!(keys(&toys[0]), ["id", "late", "child", "name", "__typename"], "the selection's order");
        let Value::Object(toy) = &toys[0] else { unreachable!() };
        assert_eq!(keys(&toy["child"]), ["name", "id"]);
    }

    #[tokio::test]
    async fn aliases_and_repeated_fields_merge() {
        let quick = both("{ a: id id b: late child { id } child { name late } c: child { id } }", "").await;
        assert_eq!(quick["data"]["quick"][0], json!({ "a": 1, "id": 1, "b": 10, "child": { "id": 101, "name": "toy 101", "late": 1010 }, "c": { "id": 101 } }));
    }

    #[tokio::test]
    async fn fragments_on_the_type_on_an_interface_and_without_a_condition_apply() {
        let quick = both("{ ...T ... on Toy { name } ... on Node { id } ... { late } }", "fragment T on Toy { id child { id } }").await;
        assert_eq!(quick["data"]["quick"][1], json!({ "id": 2, "child": { "id": 102 }, "name": "toy 2", "late": 20 }));
    }

    #[tokio::test]
    async fn errors_keep_their_paths_and_the_other_fields() {
        let quick = both("{ id failing lateFailing name }", "").await;
        assert_eq!(quick["errors"].as_array().map(Vec::len), Some(6), "{quick}");
        assert_eq!(quick["errors"][0]["path"], json!(["quick", 0, "failing"]));
        assert_eq!(quick["data"]["quick"][0], json!({ "id": 1, "name": "toy 1" }));
    }

    #[tokio::test]
    async fn skip_and_include_apply() {
        let quick = both("{ id @include(if: false) name @skip(if: false) late @include(if: true) child @skip(if: true) { id } }", "").await;
        assert_eq!(quick["data"]["quick"][0], json!({ "name": "toy 1", "late": 10 }));
    }

    #[tokio::test]
    async fn many_slow_fields_run_together() {
        let selection = format!("{{ {} }}", (0..40).map(|index| format!("l{index}: late")).collect::<Vec<_>>().join(" "));
        let quick = both(&selection, "").await;
        assert_eq!(quick["data"]["quick"][2]["l39"], 30);
    }
}
