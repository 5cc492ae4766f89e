from django.contrib import admin

from surveys.models import Category, Choice, Invitation, Question, Survey, SurveyCoordinator


@admin.register(SurveyCoordinator)
class SurveyCoordinatorAdmin(admin.ModelAdmin):
    list_display = ("user", "corporation")
    list_select_related = ("user", "corporation")
    autocomplete_fields = ("user",)


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ("order", "code", "type", "required", "text_ja", "text_en", "figure")
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("slug", "year", "title", "status", "corporation", "report_published")
    list_filter = ("status", "year", "report_published")
    search_fields = ("slug", "title")
    inlines = [QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("survey", "code", "type", "required", "order")
    list_filter = ("type", "survey")
    inlines = [ChoiceInline, CategoryInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("survey", "email", "sent_at", "reminders", "responded")
    list_filter = ("survey", "responded")
    exclude = ("token",)
