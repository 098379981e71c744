//! Payment import (R3): a .csv or .xlsx of payments; a dry run reports every
//! bad row with its line, a real run applies every row or none.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use dealdesk_e2e::receiver::Receiver;
use dealdesk_e2e::{assert_error, credit_code, data, spawn_app_with, text, SalesOrg, Session, TestApp, TestOptions};
use serde_json::{json, Value};

use crate::contracts::{contract_call, deal_in_negotiation, plan, today, upload};

const IMPORT: &str = "mutation($file: Upload!, $dryRun: Boolean!) { importPayments(file: $file, dryRun: $dryRun) { dryRun rows applied errors { line code field value message outstanding { amount currency } } } }";

/// An org with FINANCE and a customer whose approved contract has twelve receivables of 10 000 CNY.
struct Ledger {
    app: TestApp,
    org: SalesOrg,
    finance: Session,
    customer: String,
    receivables: Vec<String>,
    today: NaiveDate,
    _registry: Receiver,
}

async fn approved_contract(org_name: &str, code: u32) -> Ledger {
    let registry = Receiver::start(vec![], r#"{"creditCode":"x","name":"x","status":"OPERATING","updatedAt":"2026-11-01T00:00:00Z"}"#).await;
    let app = spawn_app_with(TestOptions { test_clock: true, registry_url: Some(registry.url.clone()), ..TestOptions::default() }).await;
    let org = app.sales_org(org_name).await;
    let finance = app.create_user(&org.admin, "FINANCE", None, None).await;
    let customer = text(&app.create_customer(&org.rep_a, "苏州回款导入有限公司", Some(&credit_code(code))).await["id"]);
    let deal = deal_in_negotiation(&app, &org.rep_a, &customer, "回款导入").await;
    let today = today(&app, &org.rep_a).await;
    let create = "mutation($input: CreateContractInput!) { createContract(input: $input) { id } }";
    let contract = text(&app.data_as(&org.rep_a, create, json!({ "input": { "dealId": deal, "amount": { "amount": "120000", "currency": "CNY" }, "paymentTermsDays": 30, "instalments": plan(today + Duration::days(10)) } })).await["createContract"]["id"]);
    let first_of_month = today.with_day(1).expect("first of month");
    for back in 1..=3u32 {
        let month = first_of_month.checked_sub_months(chrono::Months::new(back)).expect("month").format("%Y-%m").to_string();
        data(upload(&app, &org.rep_a, &contract, "BANK_STATEMENT", Some(&month), &format!("statement-{month}.pdf"), format!("%PDF-1.4 statement {month}").into_bytes()).await);
    }
    let check = app.data_as(&org.rep_a, "mutation($id: ID!) { runPaymentCheck(contractId: $id) { passed reasons } }", json!({ "id": contract })).await;
    assert_eq!(check["runPaymentCheck"]["passed"], true, "{check}");
    data(contract_call(&app, &org.rep_a, "submitContract", &contract).await);
    let approved = data(contract_call(&app, &finance, "approveContract", &contract).await)["approveContract"].clone();
    let receivables: Vec<String> = approved["receivables"].as_array().expect("receivables").iter().map(|row| text(&row["id"])).collect();
    assert_eq!(receivables.len(), 12);
    Ledger { app, org, finance, customer, receivables, today, _registry: registry }
}

/// Sends a file to `importPayments` through the GraphQL multipart request spec.
async fn import(app: &TestApp, session: &Session, file_name: &str, bytes: Vec<u8>, dry_run: bool) -> Value {
    let operations = json!({ "query": IMPORT, "variables": { "file": null, "dryRun": dry_run } });
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({ "0": ["variables.file"] }).to_string())
        .part("0", reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()));
    app.client.post(app.url("/graphql")).bearer_auth(&session.token).multipart(form).send().await.expect("upload").json().await.expect("json")
}

/// Each receivable's paid amount by id, and the customer's payments as `(receivable, amount, paidAt, source)`, sorted.
type Seen = (BTreeMap<String, String>, Vec<(String, String, String, String)>);

/// What finance and sales see: each receivable's paid amount (by id) and the customer's payments as `(receivable, amount, paidAt, source)`.
async fn seen(ledger: &Ledger) -> Seen {
    let query = "query($id: ID!) { customer(id: $id) { receivables { id paid { amount } } payments { receivableId amount { amount currency } paidAt source } } }";
    let customer = ledger.app.data_as(&ledger.org.rep_a, query, json!({ "id": ledger.customer })).await["customer"].clone();
    let paid = customer["receivables"].as_array().expect("receivables").iter().map(|row| (text(&row["id"]), text(&row["paid"]["amount"]))).collect();
    let mut payments: Vec<_> = customer["payments"].as_array().expect("payments").iter().map(|row| (text(&row["receivableId"]), text(&row["amount"]["amount"]), text(&row["paidAt"]), text(&row["source"]))).collect();
    payments.sort();
    (paid, payments)
}

/// One planned payment: which receivable (index), how many cents, which day.
#[derive(Clone)]
struct Planned {
    receivable: usize,
    cents: i64,
    paid_at: NaiveDate,
}

/// 100 partial payments spread over the twelve receivables (at most 9 each, well under 10 000 CNY).
fn hundred_payments(today: NaiveDate) -> Vec<Planned> {
    (0..100).map(|k: i64| Planned { receivable: usize::try_from(k % 12).expect("index"), cents: (300 + k) * 100 + k % 100, paid_at: today - Duration::days(k % 7) }).collect()
}

fn amount_text(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// A CSV as Excel's "CSV UTF-8" writes it: BOM, CRLF, quoted where needed.
fn csv(ledger: &Ledger, payments: &[Planned]) -> Vec<u8> {
    let mut text = String::from("\u{feff}receivableId,amount,currency,paidAt\r\n");
    for payment in payments {
        text.push_str(&format!("{},\"{}\",CNY,{}\r\n", ledger.receivables[payment.receivable], amount_text(payment.cents), payment.paid_at.format("%Y-%m-%d")));
    }
    text.into_bytes()
}

/// The ledger a successful import of `payments` must leave behind.
fn expected(ledger: &Ledger, payments: &[Planned]) -> Seen {
    let mut paid: BTreeMap<String, i64> = ledger.receivables.iter().map(|id| (id.clone(), 0)).collect();
    let mut rows = Vec::new();
    for payment in payments {
        let id = &ledger.receivables[payment.receivable];
        *paid.entry(id.clone()).or_default() += payment.cents;
        rows.push((id.clone(), amount_text(payment.cents), payment.paid_at.format("%Y-%m-%d").to_string(), "IMPORT".to_string()));
    }
    rows.sort();
    (paid.into_iter().map(|(id, cents)| (id, amount_text(cents))).collect(), rows)
}

fn untouched(ledger: &Ledger) -> Seen {
    expected(ledger, &[])
}

/// Asserts the report lists exactly `expected_errors` as (line, field, code), in order, each with a message, and applied nothing.
fn assert_report(response: &Value, dry_run: bool, rows: i64, expected_errors: &[(i64, &str, &str)]) {
    let report = data(response.clone())["importPayments"].clone();
    assert_eq!(report["dryRun"], dry_run, "{report}");
    assert_eq!(report["rows"], rows, "{report}");
    assert_eq!(report["applied"], 0, "{report}");
    let errors = report["errors"].as_array().expect("errors");
    assert!(errors.iter().all(|error| !text(&error["message"]).is_empty()), "{report}");
    let errors: Vec<(i64, String, String)> = errors.iter().map(|error| (error["line"].as_i64().expect("line"), text(&error["field"]), text(&error["code"]))).collect();
    let expected_errors: Vec<(i64, String, String)> = expected_errors.iter().map(|(line, field, code)| (*line, field.to_string(), code.to_string())).collect();
    assert_eq!(errors, expected_errors, "{report}");
}

#[tokio::test]
async fn one_bad_row_among_a_hundred_changes_nothing_and_is_reported_by_line() {
    let ledger = approved_contract("Import CSV Co", 11).await;
    let mut payments = hundred_payments(ledger.today);
    // Line 57 (the header is line 1) overpays its receivable.
    let good = payments[55].clone();
    payments[55].cents = 2_000_000;
    let bad_file = csv(&ledger, &payments);

    for dry_run in [true, false] {
        let response = import(&ledger.app, &ledger.finance, "payments.csv", bad_file.clone(), dry_run).await;
        assert_report(&response, dry_run, 100, &[(57, "amount", "AMOUNT_OVER_OUTSTANDING")]);
        // The client words it from the code, the cell and what is outstanding before the row.
        let error = &response["data"]["importPayments"]["errors"][0];
        let owed = 1_000_000 - payments.iter().take(55).filter(|payment| payment.receivable == payments[55].receivable).map(|payment| payment.cents).sum::<i64>();
        assert_eq!(error["value"], "20000.00", "{error}");
        assert_eq!(error["outstanding"], json!({ "amount": amount_text(owed), "currency": "CNY" }), "{error}");
        assert_eq!(seen(&ledger).await, untouched(&ledger), "nothing changed after dryRun={dry_run}");
    }

    // A rep may not import at all.
    assert_error(&import(&ledger.app, &ledger.org.rep_a, "payments.csv", bad_file, false).await, "FORBIDDEN", &[]);

    // With the row fixed, a dry run still changes nothing and a real run applies all 100.
    payments[55] = good;
    let good_file = csv(&ledger, &payments);
    assert_report(&import(&ledger.app, &ledger.finance, "payments.csv", good_file.clone(), true).await, true, 100, &[]);
    assert_eq!(seen(&ledger).await, untouched(&ledger));
    let applied = data(import(&ledger.app, &ledger.finance, "payments.csv", good_file, false).await)["importPayments"].clone();
    assert_eq!(applied, json!({ "dryRun": false, "rows": 100, "applied": 100, "errors": [] }));
    assert_eq!(seen(&ledger).await, expected(&ledger, &payments));

    // One audit row names the import; the customer's tier was recomputed (still BLUE: nothing is overdue).
    let audit = ledger.app.data_as(&ledger.org.admin, "{ auditLog(filter: { action: \"payment.import\" }) { totalCount edges { node { entityType after } } } }", json!({})).await;
    assert_eq!(audit["auditLog"]["totalCount"], 1, "{audit}");
    let entry = &audit["auditLog"]["edges"][0]["node"];
    assert_eq!(entry["entityType"], "payment_import", "{audit}");
    assert_eq!(entry["after"]["rows"], 100, "{audit}");
    assert_eq!(entry["after"]["fileName"], "payments.csv", "{audit}");
    let tier = ledger.app.data_as(&ledger.org.rep_a, "query($id: ID!) { customer(id: $id) { riskTier } }", json!({ "id": ledger.customer })).await;
    assert_eq!(tier["customer"]["riskTier"], "BLUE");
}

#[tokio::test]
async fn every_bad_row_is_reported_with_chinese_headers_and_cumulative_overpayment() {
    let ledger = approved_contract("Import Rules Co", 12).await;
    let [r0, r1, r2, r3] = [0, 1, 2, 3].map(|index| ledger.receivables[index].clone());
    let today = ledger.today.format("%Y-%m-%d").to_string();
    let tomorrow = (ledger.today + Duration::days(1)).format("%Y-%m-%d").to_string();
    let stranger = uuid::Uuid::new_v4().to_string();
    let file = [
        "应收ID,金额,币种,回款日期".to_string(),
        format!("{stranger},100,CNY,{today}"),                 // 2: not a receivable of this org
        format!("not-an-id,100,,{today}"),                     // 3: not an id at all
        format!("{r0},6000,,{today}"),                         // 4: fine
        format!("{r0},5000,,{today}"),                         // 5: with line 4, more than the 10 000 owed
        format!("{r1},-5,,{today}"),                           // 6: negative
        format!("{r1},5,,{tomorrow}"),                         // 7: in the future
        format!("{r1},5,,31/01/2025"),                         // 8: not a date we read
        format!("{r2},1.234,,{today}"),                        // 9: more than cents
        format!("{r2},10,USD,{today}"),                        // 10: wrong currency
        String::new(),                                         // 11: blank, skipped
        format!("{r3},\"1,000.50\",CNY,{}", ledger.today.format("%Y年%-m月%-d日")), // 12: fine
    ]
    .join("\n");
    let expected = [
        (2, "receivableId", "RECEIVABLE_NOT_FOUND"),
        (3, "receivableId", "RECEIVABLE_NOT_FOUND"),
        (5, "amount", "AMOUNT_OVER_OUTSTANDING"),
        (6, "amount", "AMOUNT_INVALID"),
        (7, "paidAt", "PAID_AT_IN_FUTURE"),
        (8, "paidAt", "PAID_AT_INVALID"),
        (9, "amount", "AMOUNT_INVALID"),
        (10, "currency", "CURRENCY_MISMATCH"),
    ];
    for dry_run in [true, false] {
        let response = import(&ledger.app, &ledger.finance, "回款.csv", file.clone().into_bytes(), dry_run).await;
        assert_report(&response, dry_run, 10, &expected);
        let errors = &response["data"]["importPayments"]["errors"];
        let cells: Vec<(String, Value)> = errors.as_array().expect("errors").iter().map(|error| (text(&error["value"]), error["outstanding"].clone())).collect();
        let owed = |amount: &str| json!({ "amount": amount, "currency": "CNY" });
        assert_eq!(
            cells,
            [
                (stranger.clone(), Value::Null),
                ("not-an-id".to_string(), Value::Null),
                ("5000".to_string(), owed("4000.00")),
                ("-5".to_string(), owed("10000.00")),
                (tomorrow.clone(), Value::Null),
                ("31/01/2025".to_string(), Value::Null),
                ("1.234".to_string(), owed("10000.00")),
                ("USD".to_string(), owed("10000.00")),
            ],
            "{errors}"
        );
    }
    assert_eq!(seen(&ledger).await, untouched(&ledger));

    // Files that cannot be read at all are refused as a whole.
    assert_error(&import(&ledger.app, &ledger.finance, "scan.pdf", b"%PDF-1.4".to_vec(), true).await, "BAD_INPUT", &["file"]);
    assert_error(&import(&ledger.app, &ledger.finance, "p.csv", b"id,amount\n1,2\n".to_vec(), true).await, "BAD_INPUT", &["file"]);
}

#[tokio::test]
async fn an_xlsx_with_excel_dates_imports_the_same_way() {
    let ledger = approved_contract("Import XLSX Co", 13).await;
    let payments = hundred_payments(ledger.today);
    let xlsx = |payments: &[Planned], bad_date_at: Option<usize>| -> Vec<u8> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        let date_format = rust_xlsxwriter::Format::new().set_num_format("yyyy/m/d");
        for (column, header) in ["应收ID", "金额", "回款日期"].into_iter().enumerate() {
            sheet.write_string(0, u16::try_from(column).expect("column"), header).expect("header");
        }
        for (index, payment) in payments.iter().enumerate() {
            let row = u32::try_from(index + 1).expect("row");
            sheet.write_string(row, 0, &ledger.receivables[payment.receivable]).expect("id");
            #[allow(clippy::cast_precision_loss)]
            sheet.write_number(row, 1, payment.cents as f64 / 100.0).expect("amount");
            if bad_date_at == Some(index) {
                sheet.write_string(row, 2, "2025-13-01").expect("date");
            } else {
                let day = payment.paid_at;
                let date = rust_xlsxwriter::ExcelDateTime::from_ymd(u16::try_from(day.year()).expect("year"), u8::try_from(day.month()).expect("month"), u8::try_from(day.day()).expect("day")).expect("date");
                sheet.write_datetime_with_format(row, 2, date, &date_format).expect("date");
            }
        }
        workbook.save_to_buffer().expect("xlsx")
    };

    let bad_file = xlsx(&payments, Some(55));
    for dry_run in [true, false] {
        assert_report(&import(&ledger.app, &ledger.finance, "回款.xlsx", bad_file.clone(), dry_run).await, dry_run, 100, &[(57, "paidAt", "PAID_AT_INVALID")]);
        assert_eq!(seen(&ledger).await, untouched(&ledger));
    }
    assert_error(&import(&ledger.app, &ledger.org.rep_a, "回款.xlsx", bad_file, true).await, "FORBIDDEN", &[]);

    // Real Excel dates arrive as the same calendar days.
    let applied = data(import(&ledger.app, &ledger.finance, "回款.xlsx", xlsx(&payments, None), false).await)["importPayments"].clone();
    assert_eq!(applied, json!({ "dryRun": false, "rows": 100, "applied": 100, "errors": [] }));
    assert_eq!(seen(&ledger).await, expected(&ledger, &payments));
}
