Q5130norld
r a BC-NL--NorlandBudget   12-01 0046
^BC-NL--Norland Budget,46<
^Norland plans record spending on ferries and bridges<
^Eds: Embargoed until {{EMBARGOED_UNTIL}}. With FP Photos.<
^By TOBIAS VENN=
^Fictional Press Writer=
	   PORT ELLIS, Norland (FP) _ Norland's government will spend more on ferries and bridges next year than in any year since the islands were linked to the mainland, according to a draft budget. 
 
	   Finance minister Helka Brandvik is to present the plan to parliament on Thursday. 
 

	   FP-WF-12-01-26 1702GMT<
