"""What the annual report needs beyond case data: each year's context figures, and historic summary figures for
years before the system held case data (so trend tables reach back as far as the council's reports do)."""

from django.core.validators import MinValueValidator
from django.db import models

from opencomplaints.common.models import TimeStampedModel
from opencomplaints.councils.models import Council
from opencomplaints.reporting.metrics.trends import HISTORIC_MEASURES

MEASURE_CHOICES = [(code, description) for code, description in HISTORIC_MEASURES.items()]


def _figure(verbose_name: str) -> models.PositiveIntegerField[int | None, int | None]:
    return models.PositiveIntegerField(verbose_name, null=True, blank=True)


class ContextFigures(TimeStampedModel):
    """A council's children's social care activity in one reporting year, to set complaints in context and give
    rates for benchmarking. Every figure is optional."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="context_figures")
    year = models.PositiveSmallIntegerField(help_text="The reporting year, by the year it starts: 2023 is 2023/24.")
    referrals = _figure("referrals")
    assessments = _figure("assessments completed")
    children_in_need = _figure("children in need")
    child_protection_plans = _figure("children with a child protection plan")
    children_looked_after = _figure("children looked after")
    care_leavers = _figure("care leavers")
    population_0_17 = _figure("population aged 0 to 17")

    class Meta:
        ordering = ["council", "-year"]
        verbose_name_plural = "context figures"
        constraints = [models.UniqueConstraint(fields=["council", "year"], name="context_figures_unique")]

    def __str__(self) -> str:
        return f"{self.council} {self.year}/{(self.year + 1) % 100:02d}"


class HistoricFigure(TimeStampedModel):
    """One summary figure for a year before the system held case data, e.g. stage 1 complaints received in
    2003/04. Where one exists it is used in trend tables instead of a figure computed from case data."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="historic_figures")
    year = models.PositiveSmallIntegerField(help_text="The reporting year, by the year it starts: 2017 is 2017/18.")
    measure = models.CharField(max_length=40, choices=MEASURE_CHOICES)
    value = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    note = models.TextField(blank=True, help_text="Where the figure comes from, e.g. the published report.")

    class Meta:
        ordering = ["council", "measure", "year"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year", "measure"], name="historic_figure_unique"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="historic_figure_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.year}: {self.measure} = {self.value}"
