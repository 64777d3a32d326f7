from django.contrib import admin

from opencomplaints.reporting.models import ContextFigures, HistoricFigure


@admin.register(ContextFigures)
class ContextFiguresAdmin(admin.ModelAdmin[ContextFigures]):
    list_display = ["council", "year", "referrals", "children_in_need", "children_looked_after", "population_0_17"]
    list_filter = ["council"]
    ordering = ["council", "-year"]


@admin.register(HistoricFigure)
class HistoricFigureAdmin(admin.ModelAdmin[HistoricFigure]):
    list_display = ["council", "year", "measure", "value"]
    list_filter = ["council", "measure"]
    ordering = ["council", "measure", "year"]
