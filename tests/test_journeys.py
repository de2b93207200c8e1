"""Every role's daily job in a real browser, on a phone, as a new user does it: from the sign-in
page, by links and buttons only (a typed URL fails the journey), with a 375 px screenshot of
every step kept under test-artifacts/journeys/<journey>/.

What another person does in between (the organization delivering while the federation waits) is
made through the services, so that each journey walks one role's own work."""

import io
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from cases import services as cases
from cases.models import Case
from federation.models import Federation
from menu import services as menu
from menu.models import MenuItem, ServiceOrder
from projects.models import Project, ProjectReport, ReportAttachment
from tests.conftest import ARTIFACTS, open_top_bar
from tests.factories import huaiyin_orders, the_day_comes
from tests.upload_files import PDF, png_bytes
from volunteers import services as volunteers
from volunteers.models import Opportunity, SignUp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


class Journey:
    """One person on her phone: signed in from the sign-in page, then only links and buttons."""

    def __init__(self, browser, base_url, username, journey):
        self.page = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
        self.folder = Path(ARTIFACTS) / "journeys" / journey
        self.folder.mkdir(parents=True, exist_ok=True)
        self.username = username
        self.steps = 0
        self.page.goto(f"{base_url}/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", "demo-pass-2026")
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()
        self.page.goto = self.no_typed_urls
        self.step("signed-in")

    @staticmethod
    def no_typed_urls(*args, **kwargs):
        raise AssertionError("a journey goes by links and buttons, never by a typed URL")

    def step(self, name):
        """A screenshot of the step, whose page must fit the phone's width."""
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name}: the page is {width} px wide on a phone"
        self.steps += 1
        path = self.folder / f"{self.username}-{self.steps:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)

    def click(self, selector):
        """A link or a button that leads to another page (waits until it is there)."""
        with self.page.expect_navigation():
            self.page.click(selector)

    def menu(self, href):
        """A link of the portal's side bar, which a phone keeps behind the top bar's button."""
        if self.page.is_visible(".navbar-toggler"):
            self.open_top_bar()
            self.click(f"#topbar a[href='{href}']")
        else:
            self.click(f"nav a[href='{href}']")

    def open_top_bar(self):
        open_top_bar(self.page)

    def notice(self, words):
        """Her notices, from the top bar (portal pages) or the admin's header, then the one
        that says `words`: it leads to the record."""
        if self.page.is_visible("#admin-notifications"):
            self.click("#admin-notifications")
        else:
            self.open_top_bar()
            self.click("#topbar a.btn-light[href='/notifications/']")
        self.step("notices")
        self.click(f"main a:has-text('{words}')")

    def text(self, selector):
        return self.page.locator(selector).inner_text()


@pytest.fixture
def person(browser, live_server, demo, request):
    journey = request.node.name.removeprefix("test_")
    return lambda username: Journey(browser, live_server.url, username, journey)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_an_organization_applies_is_awarded_reports_and_is_approved(person, media, eager_tasks):
    """jinan-org applies, is awarded, reports, is returned, resubmits and is approved, and is
    told at each step; jinan decides and reviews from her notices."""
    call = Project.objects.get(code="JN-2027-CALL")
    # A call whose first quarters have begun, so that there is a report to write today.
    Project.objects.filter(pk=call.pk).update(
        period_start=date(2026, 7, 1), period_end=date(2027, 6, 30)
    )
    proposal = media / "申报书.pdf"
    proposal.write_bytes(PDF)
    photo = media / "活动照片.png"
    photo.write_bytes(png_bytes())
    organization = person("jinan-org")
    organization.menu("/portal/calls/")
    organization.step("open-calls")
    organization.click(f"main a[href='/portal/calls/{call.pk}/']")
    assert "资助方向" in organization.text("#call-guidelines")
    organization.step("call")
    organization.click(f"main a[href='/portal/calls/{call.pk}/apply/']")
    organization.page.fill("#id_proposal", "家庭教育进社区：12场讲座与亲子工作坊")
    organization.page.fill("#id_requested_amount", "90000")
    organization.page.set_input_files("#id_proposal_document", str(proposal))
    organization.step("application-form")
    organization.click("main form button[type=submit]")
    assert "已提交" in organization.text("#my-applications")
    organization.step("my-applications")

    federation = person("jinan")
    federation.click("a[href='/admin/projects/application/']")
    federation.click("#result_list tbody tr:first-child a")
    assert "申报书.pdf" in federation.text("#content")
    assert federation.page.locator("input[name=_save], input[name=_continue]").count() == 0
    assert "标记为未中选" in federation.text("#decision-form")  # a move, not a state
    federation.step("application")
    federation.click("#decision-form input[name=award]")
    assert "立项" in federation.text("ul.messagelist")
    federation.step("awarded")

    organization.notice("您的申报已立项")
    assert organization.text("h1") == call.title
    organization.step("project")
    organization.click("main a:has-text('填写')")
    organization.page.fill("#id_narrative", "开展家庭教育讲座三场")
    organization.page.fill("#id_activities_held", "3")
    organization.page.fill("#id_women_served", "85")
    organization.page.fill("#id_spending", "6000.00")
    organization.page.set_input_files("#id_attachment", str(photo))
    organization.step("report-form")
    organization.page.click("#confirm-submit summary")
    organization.click("button[name=submit]")
    assert organization.text("#report-status") == "已提交"
    assert "活动照片.png" in organization.text("main")
    organization.step("report-submitted")

    federation.click("#site-name a")  # back to her workbench
    federation.notice("待审核报告")
    assert "家庭教育讲座" in federation.text("#content")
    assert "活动照片.png" in federation.text("#content")  # the evidence, on her screen
    federation.page.fill("#id_review_comment", "请补充活动签到表")
    federation.step("report-review")
    federation.click("input[name=return]")
    assert "报告已退回" in federation.text("ul.messagelist")

    organization.notice("报告被退回")
    assert "请补充活动签到表" in organization.text("#reviewer-comment")
    organization.step("report-returned")
    organization.page.click("#confirm-submit summary")
    organization.click("button[name=submit]")
    assert organization.text("#report-status") == "已重新提交"

    federation.click("#site-name a")
    federation.notice("待审核报告")
    federation.page.click("#confirm-approve summary")
    federation.step("report-approve")
    federation.click("input[name=approve]")
    assert "通过" in federation.text("ul.messagelist")

    organization.notice("报告已通过")
    assert organization.text("#report-status") == "已通过"
    organization.step("report-approved")


def test_a_federation_reviews_a_report_with_its_evidence(person, media):
    """jinan, from her workbench, reads the report's organization, figures and attachment
    before she approves it."""
    project = Project.objects.get(code="JN-2024-001")
    report = project.reports.filter(status="submitted").get()
    ReportAttachment.objects.create(
        report=report,
        file=SimpleUploadedFile("活动签到表.pdf", PDF),
        original_name="活动签到表.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=User.objects.get(username="jinan-org"),
    )
    federation = person("jinan")
    federation.click("#workbench a:has-text('待审核报告')")
    federation.step("reports-to-review")
    federation.click(f"#result_list a[href*='/projectreport/{report.pk}/']")
    page = federation.text("#content")
    assert project.implementer.name in page
    assert "活动签到表.pdf" in page
    assert "submitted" not in page and "结案" not in page  # states and buttons in plain Chinese
    assert ".00" not in federation.text("#values-group")  # counts are whole numbers
    assert federation.page.locator("input[name=_save]").count() == 0
    federation.step("report-with-evidence")
    with federation.page.expect_download() as download:
        federation.page.click("a:has-text('活动签到表.pdf')")
    assert download.value.suggested_filename.endswith(".pdf")
    federation.page.click("#confirm-approve summary")
    federation.click("input[name=approve]")
    assert ProjectReport.objects.get(pk=report.pk).status == "approved"
    federation.step("approved")


def test_a_federation_orders_is_told_of_the_delivery_confirms_and_rates(person, eager_tasks):
    community = Federation.objects.get(division_code="370104006001")
    start = timezone.localdate() + timedelta(days=2)
    federation = person("huaiyin")
    federation.click("#header a.platform-link:has-text('服务菜单')")
    federation.page.fill("#id_q", "汽车")
    federation.click("#menu-filters button[type=submit]")
    federation.step("menu")
    federation.click("#menu-items a:has-text('汽车故障速解工坊')")
    federation.page.select_option("#id_federation", str(community.pk))
    federation.page.fill("#id_window_start", start.isoformat())
    federation.page.fill("#id_window_end", (start + timedelta(days=5)).isoformat())
    federation.page.fill("#id_expected_participants", "15")
    federation.step("order-form")
    federation.click("#order-form button[type=submit]")
    assert federation.text("#order-status") == "已点单"
    order = ServiceOrder.objects.get(pk=federation.page.url.rstrip("/").rsplit("/", 1)[-1])

    deliverer = User.objects.get(username="jinan-org")
    menu.order_accept(actor=deliverer, order=order)
    on_the_day = timezone.make_aware(datetime.combine(start, time(14)))
    menu.order_schedule(actor=deliverer, order=order, scheduled_at=on_the_day, place="营市街")
    menu.order_deliver(actor=deliverer, order=the_day_comes(order), actual_participants=14)

    federation.page.reload()
    federation.notice("汽车故障速解工坊")
    federation.page.check("#move-confirm input[value='5']")
    federation.page.fill("#id_confirm-feedback", "女司机们学会了换胎，很实用")
    federation.step("confirm-and-rate")
    federation.click("#move-confirm button")
    assert federation.text("#order-status") == "已评价"
    federation.step("rated")


def test_an_organization_accepts_schedules_and_delivers_not_before_the_day(person):
    item = MenuItem.objects.get(title="汽车故障速解工坊")
    order = huaiyin_orders(item, Federation.objects.get(division_code="370104006001"))
    day = timezone.localdate() + timedelta(days=2)
    organization = person("jinan-org")
    organization.click("#workbench a:has-text('待接单')")
    organization.step("orders-to-accept")
    organization.click(f"#orders a[href='/menu/orders/{order.pk}/']")
    organization.click("#move-accept button")
    assert organization.text("#order-status") == "已接单"
    organization.page.fill("#id_schedule-scheduled_at", f"{day.isoformat()}T14:00")
    organization.page.fill("#id_schedule-place", "营市街社区妇女之家")
    organization.step("schedule")
    organization.click("#move-schedule button")
    assert organization.text("#order-status") == "已排期"

    organization.page.fill("#id_deliver-actual_participants", "14")
    organization.click("#move-deliver button")
    assert "预约日期当天或之后" in organization.text("main .alert")
    assert organization.text("#order-status") == "已排期"
    organization.step("refused-before-the-day")

    the_day_comes(order)  # she tries again on the day
    organization.page.fill("#id_deliver-actual_participants", "14")
    organization.page.fill("#id_deliver-volunteers", "2")
    organization.click("#move-deliver button")
    assert organization.text("#order-status") == "已服务"
    organization.step("delivered")


def test_a_case_worker_takes_a_call_works_the_case_and_schedules_a_follow_up(person):
    worker = person("dongying-worker")
    worker.menu("/cases/intake/")
    worker.page.check("#intake-form input[name=risk][value=high]")
    worker.page.check("#intake-form input[name=categories][value=domestic_violence]")
    worker.page.fill("#id_name", "韩梅")
    worker.page.fill("#id_phone", "13705469999")
    worker.page.fill("#id_summary", "丈夫酒后施暴，孩子受惊吓")
    worker.page.check("#id_consent_to_share")
    worker.step("intake")
    worker.click("#intake-form button[type=submit]")
    assert worker.text("#case-status") == "已指派"  # hers at once
    worker.step("case")

    worker.page.click("#move-event summary")
    worker.page.select_option("#id_event-kind", "home_visit")
    worker.page.fill("#id_event-result", "当天入户走访，孩子已安顿")
    worker.click("#move-event button[type=submit]")
    assert worker.text("#case-status") == "处置中"
    worker.page.click("#move-referral summary")
    worker.page.select_option("#id_referral-department", "health")
    respond_by = timezone.localtime() + timedelta(days=2)
    worker.page.fill("#id_referral-respond_by", respond_by.strftime("%Y-%m-%dT%H:%M"))
    worker.page.fill("#id_referral-note", "请开通就医绿色通道")
    worker.click("#move-referral button[type=submit]")
    assert "卫健" in worker.text("#referrals")
    worker.page.click("#move-follow-up summary")
    follow_up_on = timezone.localdate() + timedelta(days=3)
    worker.page.fill("#id_follow-up-due_on", follow_up_on.isoformat())
    worker.step("follow-up")
    worker.click("#move-follow-up button[type=submit]")
    assert follow_up_on.isoformat() in worker.text("#follow-ups")
    worker.step("follow-up-scheduled")
    case = Case.objects.get(assigned_to__username="dongying-worker", status="in_progress")
    assert case.follow_ups.filter(due_on=follow_up_on).exists()


def dongying_case_of_the_worker() -> Case:
    supervisor = User.objects.get(username="dongying")
    case = cases.case_intake(
        actor=supervisor,
        federation=Federation.objects.get(division_code="370502", kind="regional"),
        channel="hotline",
        risk="high",
        categories=["domestic_violence"],
        name="周丽",
        phone="13705461234",
    )
    worker = User.objects.get(username="dongying-worker")
    hotline = worker.org_memberships.get().organization
    cases.case_triage(
        actor=supervisor,
        case=case,
        risk="high",
        categories=["domestic_violence"],
        organization=hotline,
    )
    return cases.case_assign(actor=supervisor, case=case, worker=worker)


def test_a_supervisor_urges_a_case_and_exports(person, eager_tasks):
    case = dongying_case_of_the_worker()
    supervisor = person("dongying")
    supervisor.click("#header a.platform-link:has-text('个案')")
    supervisor.step("queue")
    supervisor.click(f"#case-queue a[href='/cases/{case.pk}/']")
    supervisor.page.click("#move-urge summary")
    supervisor.page.fill("#id_urge-reason", "今天下班前完成首次联系")
    supervisor.step("urge")
    supervisor.click("#move-urge button[type=submit]")
    assert "今天下班前完成首次联系" in supervisor.text("#timeline")
    assert (
        User.objects.get(username="dongying-worker")
        .notifications.filter(key__startswith="case-urged")
        .exists()
    )
    supervisor.step("urged")

    supervisor.click("main a[href='/cases/']")
    with supervisor.page.expect_download() as download:
        supervisor.page.click("main a[href='/cases/export/']")
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    cells = [str(cell.value) for row in workbook.active.iter_rows() for cell in row]
    assert case.number in cells
    assert "13705461234" not in cells and "周丽" not in cells  # masked
    supervisor.step("exported")


def an_opportunity_of_huaiyin_today() -> Opportunity:
    opportunity = Opportunity.objects.get(title="周六亲子活动摄影志愿者")
    start = timezone.now() - timedelta(hours=1)
    Opportunity.objects.filter(pk=opportunity.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=2)
    )
    return opportunity


def test_a_volunteer_signs_up_and_sees_her_confirmed_hours(person):
    opportunity = Opportunity.objects.get(title="周六亲子活动摄影志愿者")
    volunteer = person("huaiyin-volunteer")
    assert volunteer.text("#my-hours") == "3.0"
    volunteer.click(f"#opportunities form[action$='/{opportunity.pk}/sign-up/'] button")
    assert "报名成功" in volunteer.text(".alert")
    volunteer.step("signed-up")

    signup = SignUp.objects.get(
        opportunity=opportunity, volunteer__user__username="huaiyin-volunteer"
    )
    an_opportunity_of_huaiyin_today()
    volunteers.signup_attend(actor=User.objects.get(username="huaiyin"), signup=signup, hours=2)
    volunteer.page.reload()
    assert volunteer.text("#my-hours") == "5.0"
    volunteer.step("hours")


def test_a_coordinator_confirms_attendance(person):
    volunteer = User.objects.get(username="huaiyin-volunteer")
    volunteers.signup_create(
        actor=volunteer, opportunity=Opportunity.objects.get(title="周六亲子活动摄影志愿者")
    )
    opportunity = an_opportunity_of_huaiyin_today()
    coordinator = person("huaiyin")
    coordinator.click("#workbench a:has-text('报名')")
    coordinator.step("sign-ups")
    coordinator.click(f"a[href='/volunteers/opportunities/{opportunity.pk}/']")
    coordinator.page.fill("#signups input[name=hours]", "2")
    coordinator.step("attendance")
    coordinator.click("#signups button:has-text('已到岗')")
    assert "到岗和时长已确认" in coordinator.text(".alert")
    coordinator.step("confirmed")
    assert SignUp.objects.get(opportunity=opportunity, volunteer__user=volunteer).hours == 2


@pytest.mark.parametrize(
    ("username", "below"),
    [("jinan", "槐荫区妇联"), ("shandong", "济南市妇联")],
    ids=["jinan", "shandong"],
)
def test_a_federation_reads_her_dashboard_on_a_phone(person, username, below):
    reader = person(username)
    reader.click("#header a.platform-link:has-text('数据看板')")
    headlines = reader.page.locator("#headlines .card")
    assert headlines.count() == 6 and headlines.first.is_visible()
    reader.step("headlines")
    reader.page.click("#headlines details.definition summary >> nth=0")
    assert reader.page.is_visible("#headlines details.definition[open] span")
    reader.page.click("details.zero-rows summary >> nth=0")
    reader.page.wait_for_selector("#chart-map[data-drawn]")
    reader.step("figures-and-map")
    reader.click(f"#ranking a:has-text('{below}')")
    assert below in reader.text("h1")
    reader.step("below")
