"""A report period's data cut-off: the day its figures are counted to, which the province's administrator moves
from the plan's page. A report due on 15 May for a period to 30 June counts by default to 14 May; whether the
report is on time is still judged against its due date. (Its own small form, apart from the plan's form in
views.py.)"""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.validators import InputRequired, ValidationError

from ..core import edits
from ..core.edits import base_version_field
from ..core.fields import DateField
from ..core.formatting import fmt_date
from ..core.scope import ADMIN, roles_required
from ..extensions import db
from ..htmx import redirect_to, render
from . import bp
from .forms import DATE_MESSAGE, PERIOD_LABELS
from .models import ReportPeriod
from .views import _plan_or_404


class CutoffForm(FlaskForm):
    base_version = base_version_field()
    cutoff_date = DateField(_l("Figures counted up to"), validators=[InputRequired(DATE_MESSAGE)],
                            invalid_value_message=DATE_MESSAGE,
                            description=_l("Records dated after this day are not counted in this report. By "
                                           "default the day before the report is due."))

    def __init__(self, *args, period: ReportPeriod, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period

    def validate_cutoff_date(self, field):
        period, day = self.period, field.data
        if day is None:  # not a date: the field already says so
            return
        if not period.start_date <= day <= period.end_date:
            raise ValidationError(_l("Choose a day of the period, from %(start)s to %(end)s.",
                                     start=fmt_date(period.start_date), end=fmt_date(period.end_date)))
        if day > period.due_date:
            raise ValidationError(_l("The report is due on %(due)s: its figures cannot be counted to a later day.",
                                     due=fmt_date(period.due_date)))


@bp.route("/<int:plan_id>/periods/<int:period_id>/cutoff", methods=["GET", "POST"])
@roles_required(ADMIN)
def period_cutoff(plan_id: int, period_id: int):
    """Move the day a report period's figures are counted to; the change counts as a change of the plan."""
    plan = _plan_or_404(plan_id)
    period = db.session.get(ReportPeriod, period_id)
    if period is None or period.plan_id != plan.id:
        abort(404)
    data = {"base_version": plan.version, "cutoff_date": period.cutoff_date} if request.method == "GET" else None
    form = CutoffForm(data=data, period=period)
    if form.validate_on_submit():
        day = form.cutoff_date.data

        def change() -> dict:
            return edits.assign(period, {"cutoff_date": day}, prefix=f"{period.code}.")

        if edits.save_edit(plan, form.base_version.data, change, current_user, edits.posted()):
            flash(_("%(period)s: figures counted up to %(date)s.", period=PERIOD_LABELS[period.code],
                    date=fmt_date(day)), "success")
        else:
            flash(_("Someone changed this plan meanwhile; your changes are kept aside. Here is the plan now."),
                  "warning")
        return redirect_to(url_for("plans.detail", plan_id=plan.id))
    return render("plans/cutoff_form.html", form=form, plan=plan, period=period,
                  label=PERIOD_LABELS[period.code], status=422 if request.method == "POST" else 200)
