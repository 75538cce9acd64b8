SELECT name, la_code FROM dim_school WHERE urn = $urn;
