"""Forms of the events app: the staff's event form, filters and the registration form."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matchwerk.accounts.models import User
from matchwerk.events.enums import EventFormat, QuestionKind, WallModeration
from matchwerk.events.models import Event, Feedback, Question
from matchwerk.profiles.enums import OrganisationKind
from matchwerk.profiles.models import Region, Topic


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


DATETIME_FIELDS = ("starts_at", "ends_at", "registration_deadline", "cancellation_deadline")


class EventForm(forms.ModelForm):
    """Staff create and edit events; the service validates again."""

    online_url = forms.URLField(label=_("Link zur Online-Teilnahme"), required=False, assume_scheme="https")
    # No min_value here: clean_capacity gives the one clear message for 0 and below.
    capacity = forms.IntegerField(label=_("Plätze"), widget=forms.NumberInput(attrs={"min": 1}))

    class Meta:
        model = Event
        fields = ["title", "format", "description", "starts_at", "ends_at", "venue_name", "venue_address",
                  "venue_host", "online_url", "region", "programme", "capacity", "access", "registration_deadline",
                  "cancellation_deadline", "topics", "hashtag", "wall_moderation", "organisers"]
        widgets = {name: DateTimeInput() for name in DATETIME_FIELDS} | {
            "description": forms.Textarea(attrs={"rows": 6}),
            "topics": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_to_scope(self, user)
        for name in DATETIME_FIELDS:
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
        self.fields["organisers"].queryset = User.objects.filter(
            is_active=True, role__in=["coordinator", "matching_team", "admin"]).order_by("full_name", "email")
        self.fields["organisers"].required = False
        self.fields["wall_moderation"].required = False  # empty: moderated before posts appear

    def clean_wall_moderation(self):
        return self.cleaned_data.get("wall_moderation") or WallModeration.BEFORE

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity < 1:
            raise forms.ValidationError(_("Eine Veranstaltung braucht mindestens einen Platz."))
        return capacity

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("topics", None)
        data.pop("organisers", None)
        return data


def _limit_to_scope(form, user) -> None:
    """Staff choose only regions and programmes of their own scope (the service checks again);
    an event's current region or programme stays selectable."""
    from matchwerk.events.rules import event_scope
    from matchwerk.programmes.models import Programme

    if user is None or event_scope(user).everything:
        return
    scope, instance = event_scope(user), form.instance
    form.fields["region"].queryset = Region.objects.filter(
        Q(pk__in=scope.region_ids) | Q(pk=instance.region_id or 0)).order_by("name")
    form.fields["programme"].queryset = Programme.objects.filter(
        Q(pk__in=scope.programme_ids) | Q(pk=instance.programme_id or 0)).order_by("name")


class EventFilterForm(forms.Form):
    region = forms.ModelChoiceField(Region.objects.all(), required=False, to_field_name="slug",
                                    label=_("Region"), empty_label=_("alle Regionen"))
    format = forms.ChoiceField(choices=[("", _("alle Formate")), *EventFormat.choices], required=False,
                               label=_("Format"))
    thema = forms.ModelChoiceField(Topic.objects.all(), required=False, to_field_name="slug", label=_("Thema"),
                                   empty_label=_("alle Themen"))
    von = forms.DateField(required=False, label=_("ab"), widget=forms.DateInput(attrs={"type": "date"}))
    bis = forms.DateField(required=False, label=_("bis"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("von") and data.get("bis") and data["bis"] < data["von"]:
            raise forms.ValidationError(_("Das Enddatum liegt vor dem Anfangsdatum."))
        return data


class CopyForm(forms.Form):
    SHIFTS = {"1m": (1, 0), "4w": (0, 28), "1w": (0, 7), "1y": (12, 0)}
    shift = forms.ChoiceField(label=_("Kopie verschieben um"), initial="1m", choices=[
        ("1m", _("einen Monat (gleicher Tag im nächsten Monat)")), ("4w", _("vier Wochen (gleicher Wochentag)")),
        ("1w", _("eine Woche")), ("1y", _("ein Jahr"))])

    def months_days(self) -> tuple[int, int]:
        return self.SHIFTS[self.cleaned_data["shift"]]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["label", "kind", "choices", "required"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-Mail"))
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    allow_overbooking = forms.BooleanField(label=_("trotzdem anmelden, auch wenn ausgebucht"), required=False)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse des Kontos"))

    def clean_email(self):
        user = User.objects.filter(email__iexact=self.cleaned_data["email"], is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Zu dieser Adresse gibt es kein aktives Konto."))
        self.user = user
        return user.email


class RegistrationForm(forms.Form):
    """Organisation (optional, one the person belongs to) and the event's extra questions."""

    def __init__(self, *args, event: Event, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(event.questions.all())
        self.fields["organisation"] = forms.ModelChoiceField(
            organisations, required=False, label=_("Ich melde mich an für"), empty_label=_("mich persönlich"))
        for question in self.questions:
            name = f"frage_{question.pk}"
            if question.kind == QuestionKind.CHOICE:
                self.fields[name] = forms.ChoiceField(
                    label=question.label, required=question.required,
                    choices=[("", "—"), *((choice, choice) for choice in question.choice_list)])
            else:
                self.fields[name] = forms.CharField(label=question.label, required=question.required,
                                                    max_length=1000)

    def answers(self) -> dict:
        return {str(q.pk): self.cleaned_data.get(f"frage_{q.pk}", "") for q in self.questions}


class FeedbackForm(forms.ModelForm):
    rating = forms.TypedChoiceField(label=_("Wie fanden Sie die Veranstaltung?"), coerce=int,
                                    widget=forms.RadioSelect, choices=[
                                        (5, _("5 – sehr gut")), (4, _("4 – gut")), (3, _("3 – geht so")),
                                        (2, _("2 – eher schlecht")), (1, _("1 – schlecht"))])

    class Meta:
        model = Feedback
        fields = ["rating", "improve"]
        widgets = {"improve": forms.Textarea(attrs={"rows": 4})}


class MoveForm(forms.Form):
    """Staff move a registration (named by its code) to another published event."""

    code = forms.CharField(label=_("Check-in-Code der Anmeldung"), max_length=40)
    to_event = forms.ModelChoiceField(Event.objects.none(), label=_("in die Veranstaltung"))
    allow_overbooking = forms.BooleanField(label=_("auch wenn sie ausgebucht ist"), required=False)

    def __init__(self, *args, event: Event, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        from matchwerk.events.enums import EventStatus
        from matchwerk.events.rules import staff_events_filter

        events = Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gte=timezone.now()).exclude(pk=event.pk)
        scope = staff_events_filter(user) if user is not None else None
        if scope is not None:
            events = events.filter(pk__in=Event.objects.filter(scope).values("pk"))
        self.fields["to_event"].queryset = events.order_by("starts_at")


class SessionForm(forms.ModelForm):
    """A programme item; start and end default to the event's day (the service checks them)."""

    class Meta:
        from matchwerk.events.models import Session

        model = Session
        fields = ["kind", "title", "starts_at", "ends_at", "room", "capacity", "description"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput(),
                   "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


class MemberForm(forms.Form):
    code = forms.CharField(label=_("Check-in-Code der Person"), max_length=40)


class IdeaForm(forms.ModelForm):
    class Meta:
        from matchwerk.events.models import EventIdea

        model = EventIdea
        fields = ["title", "format", "description", "topics", "region", "target_groups", "partners",
                  "place_and_time", "gain"]
        widgets = {"topics": forms.CheckboxSelectMultiple, **{
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("description", "target_groups", "partners", "place_and_time", "gain")}}

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("topics", None)
        return data


class IdeaDecisionForm(forms.Form):
    """Accept (with time, place and seats of the draft event), ask for changes, decline."""

    ACTIONS = [("accept", _("annehmen: Entwurf einer Veranstaltung anlegen")),
               ("changes", _("um Änderungen bitten")), ("decline", _("ablehnen"))]
    action = forms.ChoiceField(label=_("Entscheidung"), choices=ACTIONS, widget=forms.RadioSelect)
    message = forms.CharField(label=_("Nachricht an die Einreichenden"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Bei Rückfrage und Ablehnung nötig; geht per Mail hinaus."))
    starts_at = forms.DateTimeField(label=_("Beginn"), required=False, widget=DateTimeInput(),
                                    input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"])
    ends_at = forms.DateTimeField(label=_("Ende"), required=False, widget=DateTimeInput(),
                                  input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"])
    venue_name = forms.CharField(label=_("Ort"), required=False, max_length=200)
    capacity = forms.IntegerField(label=_("Plätze"), required=False, min_value=1)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from matchwerk.events.rules import event_scope
        from matchwerk.programmes.models import Programme

        programmes = Programme.objects.filter(is_active=True)
        if user is not None and not event_scope(user).everything:
            programmes = programmes.filter(pk__in=event_scope(user).programme_ids)
        self.fields["programme"] = forms.ModelChoiceField(programmes.order_by("name"), required=False,
                                                          label=_("Programm"))

    def clean(self):
        data = super().clean()
        if data.get("action") == "accept":
            for name in ("starts_at", "ends_at", "capacity"):
                if not data.get(name):
                    self.add_error(name, _("Zum Annehmen bitte Beginn, Ende und Plätze angeben."))
        return data

    def event_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in ("starts_at", "ends_at", "venue_name", "capacity")}
        if data.get("programme"):
            fields["programme"] = data["programme"]
        return fields


class KindRuleForm(forms.Form):
    """One rule of an event's composition: so many organisations of one kind."""

    kind = forms.ChoiceField(label=_("Art der Organisation"), choices=OrganisationKind.choices)
    minimum = forms.IntegerField(label=_("mindestens"), min_value=0, max_value=500)
    maximum = forms.IntegerField(label=_("höchstens"), min_value=1, max_value=500)

    def clean(self):
        data = super().clean()
        if data.get("minimum") is not None and data.get("maximum") is not None and data["maximum"] < data["minimum"]:
            self.add_error("maximum", _("„höchstens“ darf nicht kleiner als „mindestens“ sein."))
        return data


class ProposeForm(forms.Form):
    whole_series = forms.BooleanField(label=_("für alle offenen Veranstaltungen der Reihe zugleich"), required=False)
    allow_repeats = forms.BooleanField(label=_("dieselbe Organisation darf für mehrere Veranstaltungen der Reihe "
                                               "vorgeschlagen werden"), required=False)


class CandidateForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        from matchwerk.profiles.models import Organisation

        kinds = list(event.kind_rules.values_list("kind", flat=True)) if event is not None else []
        organisations = Organisation.objects.filter(kind__in=kinds) if kinds else Organisation.objects.all()
        if event is not None and event.region_id:
            organisations = organisations.filter(region_id=event.region_id)
        self.fields["organisation"].queryset = organisations.order_by("name")


class SeriesForm(forms.Form):
    series = forms.ModelChoiceField(queryset=None, label=_("Reihe"), required=False,
                                    empty_label=_("keine Reihe"))
    title = forms.CharField(label=_("oder eine neue Reihe anlegen, Titel"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from matchwerk.events.selectors import series_for_staff

        self.fields["series"].queryset = series_for_staff(user=user)
