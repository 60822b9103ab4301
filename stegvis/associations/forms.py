from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from stegvis.associations.models import Association, Member, Membership, Seat, WorkingGroup
from stegvis.associations.roles import ASSOCIATION_ROLES

# Model forms build their choice fields when the class is made, outside any
# request; the querysets are replaced per förbund in __init__.
with scopes_disabled():

    class DateInput(forms.DateInput):
        input_type = "date"

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(format="%Y-%m-%d", **kwargs)

    class AssociationForm(forms.ModelForm):
        class Meta:
            model = Association
            fields = ["name", "organisation_number", "founded", "seat"]
            widgets = {"founded": DateInput()}

    class AssociationCreateForm(forms.ModelForm):
        class Meta:
            model = Association
            fields = ["name", "slug", "organisation_number", "founded", "seat"]
            widgets = {"founded": DateInput()}
            help_texts = {"slug": _("Små bokstäver, siffror och bindestreck, t.ex. samspelet.")}

    class MemberForm(forms.ModelForm):
        class Meta:
            model = Member
            fields = ["name", "kind", "organisation_number"]

        def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.association = association

        def clean_name(self) -> str:
            name = self.cleaned_data["name"].strip()
            clash = self.association.members.filter(name__iexact=name)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(_("Förbundet har redan en medlem med det namnet."))
            return name

        def _post_clean(self) -> None:
            # Validation of the whole object happens in the service (full_clean there).
            pass

    class PopulationForm(forms.Form):
        year = forms.IntegerField(label=_("År"), min_value=1900, max_value=2200)
        population = forms.IntegerField(label=_("Folkmängd"), min_value=0, max_value=20_000_000)

    class WorkingGroupForm(forms.ModelForm):
        class Meta:
            model = WorkingGroup
            fields = ["kind", "name", "description"]
            widgets = {"description": forms.Textarea(attrs={"rows": 3})}

        def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.association = association

        def clean_name(self) -> str:
            name = self.cleaned_data["name"].strip()
            clash = self.association.working_groups.filter(name__iexact=name)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(_("Det finns redan en grupp med det namnet."))
            return name

        def _post_clean(self) -> None:
            pass

    class SeatForm(forms.ModelForm):
        class Meta:
            model = Seat
            fields = ["person_name", "function", "member", "start", "end"]
            widgets = {"start": DateInput(), "end": DateInput()}

        def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fields["member"].queryset = association.members.all()  # type: ignore[attr-defined]

        def clean(self) -> dict[str, Any]:
            cleaned = super().clean() or {}
            start, end = cleaned.get("start"), cleaned.get("end")
            if start and end and end < start:
                self.add_error("end", _("Slutdatum kan inte vara före startdatum."))
            return cleaned

        def _post_clean(self) -> None:
            pass

    class PersonAddForm(forms.Form):
        username = forms.CharField(
            label=_("Användarnamn"),
            max_length=150,
            help_text=_("Finns personen redan i Stegvis får hen rollen i det här förbundet."),
        )
        first_name = forms.CharField(label=_("Förnamn"), max_length=150, required=False)
        last_name = forms.CharField(label=_("Efternamn"), max_length=150, required=False)
        email = forms.EmailField(label=_("E-post"), required=False)
        role = forms.ChoiceField(
            label=_("Roll"), choices=[(role.value, role.label) for role in ASSOCIATION_ROLES]
        )
        member: forms.ModelChoiceField[Member] = forms.ModelChoiceField(
            label=_("Företräder medlem"), queryset=Member.objects.none(), required=False
        )
        title = forms.CharField(label=_("Befattning"), max_length=120, required=False)

        def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.association = association
            self.fields["member"].queryset = association.members.all()  # type: ignore[attr-defined]

        def clean_username(self) -> str:
            username = self.cleaned_data["username"].strip()
            User = get_user_model()
            user = User.objects.filter(username=username).first()
            if user is not None and self.association.memberships.filter(user=user).exists():
                raise forms.ValidationError(_("Personen har redan en roll i förbundet."))
            return username

    class MembershipForm(forms.ModelForm):
        class Meta:
            model = Membership
            fields = ["role", "member", "title"]

        def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fields["member"].queryset = association.members.all()  # type: ignore[attr-defined]

        def _post_clean(self) -> None:
            pass
