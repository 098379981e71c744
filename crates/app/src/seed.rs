//! The demo organization created on an empty database in demo mode: a
//! manager, three reps, one user of every other role, thirty customers and
//! forty deals whose histories were made through the real use cases (gates,
//! transitions, activities and audit rows included), spread over five weeks.

use std::sync::Arc;

use chrono::{Duration, Utc};
use dealdesk_domain::{ActivityKind, CreditCode, CustomerId, DealId, DecisionRole, OrgId, Role, TeamId, UserId};

use crate::activities::NewActivity;
use crate::customers::{NewContact, NewCustomer};
use crate::deals::{MoneyInput, NewDeal, StageMove};
use crate::error::{AppError, AppResult};
use crate::orgs::{NewUser, SignUp};
use crate::principal::{Actor, Principal};
use crate::{App, AppClock, AppConfig};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "dealdesk-demo";

/// A demo account to print at start-up.
#[derive(Clone, Debug)]
pub struct DemoLogin {
    pub email: String,
    pub name: String,
    pub role: Role,
}

const COMPANIES: [(&str, &str, &str, &str); 30] = [
    ("上海浦江精密机械有限公司", "制造业", "华东", "310000"),
    ("苏州晨光电子科技有限公司", "制造业", "华东", "320500"),
    ("杭州西溪教育科技有限公司", "教育", "华东", "330100"),
    ("南京紫金医疗器械有限公司", "医疗", "华东", "320100"),
    ("宁波港联物流有限公司", "物流", "华东", "330200"),
    ("无锡太湖新能源科技有限公司", "能源", "华东", "320200"),
    ("合肥天鹅湖软件有限公司", "软件", "华东", "340100"),
    ("广州珠江零售连锁有限公司", "零售", "华南", "440100"),
    ("深圳南山智能制造有限公司", "制造业", "华南", "440300"),
    ("东莞松山湖模具有限公司", "制造业", "华南", "441900"),
    ("北京中关村数据服务有限公司", "软件", "华北", "110000"),
    ("天津滨海精细化工有限公司", "化工", "华北", "120000"),
    ("济南泉城医药有限公司", "医疗", "华北", "370100"),
    ("青岛海湾食品有限公司", "零售", "华北", "370200"),
    ("成都天府教育集团有限公司", "教育", "西南", "510100"),
    ("重庆两江汽车零部件有限公司", "制造业", "西南", "500000"),
    ("武汉光谷生物科技有限公司", "医疗", "华中", "420100"),
    ("长沙岳麓文化传媒有限公司", "传媒", "华中", "430100"),
    ("西安高新电力设备有限公司", "能源", "西北", "610100"),
    ("郑州中原粮油有限公司", "零售", "华中", "410100"),
    ("厦门鹭岛纺织有限公司", "制造业", "华南", "350200"),
    ("福州闽江建材有限公司", "建材", "华南", "350100"),
    ("昆明滇池旅游发展有限公司", "旅游", "西南", "530100"),
    ("南昌赣江光电有限公司", "制造业", "华中", "360100"),
    ("石家庄冀中钢铁贸易有限公司", "贸易", "华北", "130100"),
    ("太原汾河煤机有限公司", "能源", "华北", "140100"),
    ("沈阳浑南机器人有限公司", "制造业", "东北", "210100"),
    ("大连星海船舶配件有限公司", "制造业", "东北", "210200"),
    ("哈尔滨冰城乳业有限公司", "零售", "东北", "230100"),
    ("常州武进纺机有限公司", "制造业", "华东", "320400"),
];

const PROJECTS: [(&str, &str, i64); 8] = [
    ("ERP 升级", "ERP", 680_000),
    ("MES 实施", "MES", 1_250_000),
    ("数据中台建设", "数据平台", 2_100_000),
    ("智慧校园平台", "教育云", 860_000),
    ("CRM 替换", "CRM", 420_000),
    ("供应链协同系统", "SCM", 1_580_000),
    ("设备物联网改造", "IoT", 930_000),
    ("财务共享中心", "ERP", 760_000),
];

const NEEDS: [&str; 6] = [
    "库存数据不准，月底盘点要停产两天",
    "各门店报表靠手工汇总，管理层看数晚一周",
    "生产排程靠 Excel，插单时交期经常延误",
    "老系统停止维护，需要在年底前完成替换",
    "集团要求统一财务口径，子公司数据无法对齐",
    "设备故障靠人工巡检，停机损失大",
];

const LOST_REASONS: [&str; 3] = ["预算冻结，项目延期到明年", "客户选择了价格更低的竞品", "决策人离职，需求取消"];

/// Where each of the forty deals ends: a stage index into the default pipeline, or LOST.
fn target_stage(index: usize) -> &'static str {
    const PLAN: [&str; 10] = [
        "LEAD", "QUALIFICATION", "NEEDS_CONFIRMED", "DEMO", "QUOTE", "NEGOTIATION", "QUALIFICATION", "DEMO", "LEAD", "LOST",
    ];
    PLAN[index % PLAN.len()]
}

const OPEN_PATH: [&str; 6] = ["LEAD", "QUALIFICATION", "NEEDS_CONFIRMED", "DEMO", "QUOTE", "NEGOTIATION"];

/// A valid unified social credit code from a region code and a serial.
fn credit_code(region: &str, serial: usize) -> AppResult<String> {
    const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut first17 = format!("91{region}");
    let mut value = serial * 7_919 + 104_729;
    for _ in 0..9 {
        first17.push(CHARSET[value % CHARSET.len()] as char);
        value /= 3;
        value += serial + 11;
    }
    let check = CreditCode::check_char(&first17).ok_or_else(|| AppError::Internal("demo credit code".into()))?;
    Ok(CreditCode::parse(&format!("{first17}{check}"))?.as_str().to_string())
}

impl App {
    /// Creates the demo org, unless the database already holds an org.
    /// Returns the logins to print, or `None` when nothing was created.
    pub async fn seed_demo_if_empty(&self) -> AppResult<Option<Vec<DemoLogin>>> {
        if dealdesk_persistence::users::any_org(&self.db).await? {
            return Ok(None);
        }
        self.seed_demo().await.map(Some)
    }

    /// Creates the demo org through the same use cases users call, on a
    /// private clock that starts five weeks ago, so histories look lived-in.
    pub async fn seed_demo(&self) -> AppResult<Vec<DemoLogin>> {
        let real_now = Utc::now();
        let clock = AppClock::test(real_now - Duration::days(36));
        let seeder = App {
            instance: self.instance.clone(),
            sender: self.sender.clone(),
            registry: self.registry.clone(),
            db: self.db.clone(),
            clock: clock.clone(),
            config: Arc::new(AppConfig {
                jwt_secret: self.config.jwt_secret.clone(),
                allow_signup: true,
                notify: self.config.notify.clone(),
                max_delivery_attempts: self.config.max_delivery_attempts,
                files_dir: self.config.files_dir.clone(),
                registry_url: self.config.registry_url.clone(),
                registry_key: self.config.registry_key.clone(),
                registry_timeout: self.config.registry_timeout,
                default_industry_days_late: self.config.default_industry_days_late,
            }),
        };
        let tick = |hours: f64| clock.advance_hours(hours).map(|_| ());

        let admin = seeder
            .sign_up(SignUp {
                org_name: "云帆软件（演示）".into(),
                name: "赵管理".into(),
                email: "admin@demo.dealdesk.cn".into(),
                password: DEMO_PASSWORD.into(),
                time_zone: Some("Asia/Shanghai".into()),
            })
            .await?
            .user;
        let org_id = OrgId::from_uuid(admin.org_id);
        let as_admin = Principal {
            org_id,
            actor: Actor::User(UserId::from_uuid(admin.id)),
            role: Role::Admin,
        };
        let mut logins = vec![DemoLogin {
            email: admin.email.clone(),
            name: admin.name.clone(),
            role: Role::Admin,
        }];
        let mut create = |email: &str, name: &str, role: Role, team: Option<TeamId>, manager: Option<UserId>| {
            logins.push(DemoLogin {
                email: email.into(),
                name: name.into(),
                role,
            });
            NewUser {
                email: email.into(),
                name: name.into(),
                password: DEMO_PASSWORD.into(),
                role,
                team_id: team,
                manager_id: manager,
                joined_at: None,
            }
        };
        let manager = seeder
            .create_user(&as_admin, create("manager@demo.dealdesk.cn", "王经理", Role::Manager, None, None))
            .await?;
        let manager_id = UserId::from_uuid(manager.id);
        let team = seeder.create_team(&as_admin, "华东销售一组", Some(manager_id)).await?;
        let team_id = Some(TeamId::from_uuid(team.id));
        let mut reps = Vec::new();
        for (email, name) in [("rep1@demo.dealdesk.cn", "李娜"), ("rep2@demo.dealdesk.cn", "张伟"), ("rep3@demo.dealdesk.cn", "刘洋")] {
            let rep = seeder.create_user(&as_admin, create(email, name, Role::Rep, team_id, Some(manager_id))).await?;
            reps.push(Principal {
                org_id,
                actor: Actor::User(UserId::from_uuid(rep.id)),
                role: Role::Rep,
            });
        }
        for (email, name, role) in [
            ("marketing@demo.dealdesk.cn", "陈市场", Role::Marketing),
            ("tech@demo.dealdesk.cn", "孙工", Role::Tech),
            ("delivery@demo.dealdesk.cn", "周交付", Role::Delivery),
            ("finance@demo.dealdesk.cn", "吴财务", Role::Finance),
            ("legal@demo.dealdesk.cn", "郑法务", Role::Legal),
        ] {
            seeder.create_user(&as_admin, create(email, name, role, None, None)).await?;
        }

        let roles = DecisionRole::ALL;
        let mut customers: Vec<(Principal, CustomerId, Option<dealdesk_domain::ContactId>)> = Vec::new();
        for (index, (name, industry, region, region_code)) in COMPANIES.iter().enumerate() {
            tick(1.5)?;
            let rep = reps[index % reps.len()].clone();
            let customer = seeder
                .create_customer(
                    &rep,
                    NewCustomer {
                        name: (*name).into(),
                        credit_code: Some(credit_code(region_code, index)?),
                        industry: Some((*industry).into()),
                        region: Some((*region).into()),
                        size: Some(["50-200 人", "200-1000 人", "1000 人以上"][index % 3].into()),
                    },
                )
                .await?;
            let customer_id = CustomerId::from_uuid(customer.id);
            let contact = seeder
                .create_contact(
                    &rep,
                    NewContact {
                        customer_id,
                        name: ["周总", "钱主任", "孙经理", "李工", "吴总监"][index % 5].into(),
                        title: Some(["总经理", "信息中心主任", "采购经理", "IT 负责人", "财务总监"][index % 5].into()),
                        phone: Some(format!("138{:08}", 10_000_000 + index * 7_331)),
                        email: None,
                        decision_role: Some(roles[index % roles.len()]),
                    },
                )
                .await?;
            customers.push((rep, customer_id, Some(dealdesk_domain::ContactId::from_uuid(contact.id))));
        }

        let mut deals: Vec<(Principal, DealId, Option<dealdesk_domain::ContactId>, &str)> = Vec::new();
        for index in 0..40 {
            tick(1.0)?;
            let (rep, customer_id, contact) = customers[index % customers.len()].clone();
            let (project, product_line, amount) = PROJECTS[index % PROJECTS.len()];
            let customer_name = COMPANIES[index % COMPANIES.len()].0;
            let short_name: String = customer_name.chars().skip(2).take(4).collect();
            let deal = seeder
                .create_deal(
                    &rep,
                    NewDeal {
                        title: format!("{short_name}{project}"),
                        customer_id,
                        owner_id: None,
                        amount: (index % 3 != 0).then(|| MoneyInput {
                            amount: format!("{}.00", amount + (index as i64) * 10_000),
                            currency: "CNY".into(),
                        }),
                        product_line: Some(product_line.into()),
                        expected_close_date: Some((real_now + Duration::days(30 + (index as i64 % 5) * 20)).date_naive()),
                        source: Some(["官网表单", "展会", "老客户转介绍", "电话营销"][index % 4].into()),
                    },
                )
                .await?;
            deals.push((rep, DealId::from_uuid(deal.id), contact, target_stage(index)));
        }

        for round in 1..OPEN_PATH.len() {
            for (index, (rep, deal_id, contact, target)) in deals.iter().enumerate() {
                let target_position = OPEN_PATH.iter().position(|stage| stage == target);
                let lost_after = if *target == "LOST" { Some(1 + index % 3) } else { None };
                let goes_on = match (target_position, lost_after) {
                    (Some(position), _) => round <= position,
                    (None, Some(last_open)) => round <= last_open + 1,
                    (None, None) => false,
                };
                if !goes_on {
                    continue;
                }
                tick(2.0 + (index % 4) as f64)?;
                let now = clock.now();
                let need = NEEDS[index % NEEDS.len()];
                seeder
                    .log_activity(
                        rep,
                        NewActivity {
                            deal_id: Some(*deal_id),
                            customer_id: None,
                            kind: [ActivityKind::Call, ActivityKind::Visit, ActivityKind::Meeting, ActivityKind::Chat][(index + round) % 4],
                            text: format!("第 {round} 次沟通：{need}。客户希望下周看到具体方案。"),
                            occurred_at: None,
                            contact_id: *contact,
                            next_follow_up_at: None,
                            backdate_reason: None,
                        },
                    )
                    .await?;
                let losing = lost_after.is_some_and(|last_open| round == last_open + 1);
                let stage = if losing { "LOST" } else { OPEN_PATH[round] };
                seeder
                    .move_deal_stage(
                        rep,
                        StageMove {
                            deal_id: *deal_id,
                            stage: stage.into(),
                            core_need: Some(need.into()),
                            decision_role: Some(roles[(index + round) % roles.len()]),
                            contact_id: *contact,
                            next_follow_up_at: Some(now + Duration::days(2 + (index % 6) as i64)),
                            amount: Some(MoneyInput {
                                amount: format!("{}.00", PROJECTS[index % PROJECTS.len()].2),
                                currency: "CNY".into(),
                            }),
                            lost_reason: losing.then(|| LOST_REASONS[index % LOST_REASONS.len()].into()),
                        },
                    )
                    .await?;
            }
        }
        if clock.now() > real_now {
            return Err(AppError::Internal("the demo history ran past the present".into()));
        }
        Ok(logins)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_credit_codes_are_valid_and_distinct() {
        let codes: Vec<String> = COMPANIES
            .iter()
            .enumerate()
            .map(|(index, company)| credit_code(company.3, index).unwrap())
            .collect();
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
    }
}
